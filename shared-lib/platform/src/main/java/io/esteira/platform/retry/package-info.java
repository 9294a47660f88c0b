/**
 * Retry policies per pipeline step, in the shape of a Step Functions {@code Retry} (max attempts, initial interval,
 * backoff rate, max delay, jitter), carried out through SQS: a failed delivery changes its message's visibility to
 * the policy's delay, and the last attempt leaves the message to the queue's dead-letter queue.
 */
package io.esteira.platform.retry;
