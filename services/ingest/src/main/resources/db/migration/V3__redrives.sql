-- Redrive (POST /api/uploads/{id}/retry): how many times the upload was sent through the pipeline again.
ALTER TABLE uploads ADD COLUMN redrives INT NOT NULL DEFAULT 0;
