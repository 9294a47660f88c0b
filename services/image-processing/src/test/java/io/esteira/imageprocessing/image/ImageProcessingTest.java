package io.esteira.imageprocessing.image;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.esteira.testkit.EsteiraTest;

/**
 * The application context image-processing's integration tests share on the images queue (same properties, so
 * Spring caches it): the thumbnail step's retry policy has as many attempts as the test kit's queues deliver
 * ({@code maxReceiveCount} 3), 1 s then 2 s between them, no jitter. The JVM stops the embedded PostgreSQL and this
 * context concurrently; a short connection timeout keeps the context's shutdown (Spring Modulith looks for incomplete
 * publications) from waiting 30 s for a database that is gone.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@EsteiraTest(properties = { "spring.datasource.hikari.connection-timeout=5000",
		"esteira.retry.steps.thumbnail.max-attempts=3", "esteira.retry.steps.thumbnail.initial-interval=1s",
		"esteira.retry.steps.thumbnail.backoff-rate=2", "esteira.retry.steps.thumbnail.jitter=NONE" })
@interface ImageProcessingTest {

}
