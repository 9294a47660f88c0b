/**
 * Uploads: the upload itself ({@link io.esteira.ingest.upload.Upload}, its kinds, customer, tenant and who may see it)
 * and what other modules see of it: the events {@link io.esteira.ingest.upload.UploadFinished},
 * {@link io.esteira.ingest.upload.RedriveRequested} and {@link io.esteira.ingest.upload.ObjectsDeletionRequested}, and
 * the errors the API answers. Each way to work with uploads is a sub-package: {@code registration} (the one way an
 * upload comes to exist), {@code multipart}, {@code direct} and {@code foreign} (the three ways in), {@code timeline}
 * (steps and status), {@code query}, {@code redrive}, {@code erasure} (LGPD) and {@code retention} (of originals).
 */
package io.esteira.ingest.upload;
