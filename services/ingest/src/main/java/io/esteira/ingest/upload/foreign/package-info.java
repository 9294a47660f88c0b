/**
 * Objects other systems wrote to the uploads bucket, registered as uploads: on an admin's request
 * ({@code POST /api/admin/objects}) or by themselves when a status report names one ingest does not know.
 */
package io.esteira.ingest.upload.foreign;
