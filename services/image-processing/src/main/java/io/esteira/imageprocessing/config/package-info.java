/** Wiring: settings, the clock and the outbox relay to SQS. */
package io.esteira.imageprocessing.config;
