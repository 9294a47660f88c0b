/**
 * The image feature: the S3 event listener, the transactional service that turns one uploaded object into a recorded
 * thumbnail (or a recorded rejection), the {@code images} table and the S3 adapter.
 */
package io.esteira.imageprocessing.image;
