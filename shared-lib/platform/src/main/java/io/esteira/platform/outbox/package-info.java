/**
 * The outbox: events published inside a transaction are stored by Spring Modulith's event publication registry in
 * the same transaction, and relayed to SQS after the commit. An event whose relay failed stays incomplete and is
 * sent again (on restart and by a schedule).
 */
package io.esteira.platform.outbox;
