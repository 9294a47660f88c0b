/**
 * Permalinks for thumbnails ({@code /files/{uploadId}/{rendition}}): stable links for the CRM that redirect to a
 * short-lived presigned S3 URL.
 */
package io.esteira.ingest.permalink;
