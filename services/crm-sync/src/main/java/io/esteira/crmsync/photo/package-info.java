/**
 * Photo links: for each processed image, put the thumbnail's permalink on the uploader's CRM contact once, newest
 * image winning, and report the step to ingest.
 */
package io.esteira.crmsync.photo;
