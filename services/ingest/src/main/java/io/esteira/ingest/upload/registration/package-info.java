/**
 * Registering a new upload, the one way an upload comes to exist
 * ({@link io.esteira.ingest.upload.registration.UploadRegistration#register}), and what every way in shares: its
 * id and key ({@link io.esteira.ingest.upload.registration.NewUpload}), accepted content types, callback URL check,
 * the object's metadata and how objects are written to the uploads bucket.
 */
package io.esteira.ingest.upload.registration;
