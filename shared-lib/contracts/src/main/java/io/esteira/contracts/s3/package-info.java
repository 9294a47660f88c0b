/**
 * The S3 event notification model as it reaches a queue (directly, or wrapped in an SNS envelope), and its decoding
 * into one {@link io.esteira.contracts.s3.S3ObjectEvent} per record with the object key URL-decoded.
 */
package io.esteira.contracts.s3;
