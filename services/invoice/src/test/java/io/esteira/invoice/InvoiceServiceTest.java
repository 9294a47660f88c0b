package io.esteira.invoice;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.esteira.testkit.EsteiraTest;

import org.springframework.test.context.TestConstructor;

/**
 * The invoice service against the test kit's infrastructure, with the {@link TestApiKeys} registered. Every test
 * class uses the same properties, so they share one application context. Test constructors are autowired.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@EsteiraTest(properties = { "esteira.security.api-keys[0].name=test-reader",
		"esteira.security.api-keys[0].sha256=" + TestApiKeys.READER_SHA256,
		"esteira.security.api-keys[0].scopes=invoices:read", "esteira.security.api-keys[1].name=test-uploader",
		"esteira.security.api-keys[1].sha256=" + TestApiKeys.UPLOADER_SHA256,
		"esteira.security.api-keys[1].scopes=uploads:write",
		"esteira.invoices.all-or-nothing-prefixes=" + InvoiceServiceTest.STRICT_FEED,
		// As many attempts as the test kit's queues allow receives; short, predictable delays (1 s, then 2 s).
		"esteira.retry.steps.invoice-import.max-attempts=3", "esteira.retry.steps.invoice-import.initial-interval=1s",
		"esteira.retry.steps.invoice-import.backoff-rate=2", "esteira.retry.steps.invoice-import.jitter=NONE",
		// The kit stops PostgreSQL in a JVM shutdown hook that races Spring's: the context, closing after the
		// database, would wait the whole pool timeout (30 s) for a connection it can no longer get.
		"spring.datasource.hikari.connection-timeout=1000" })
@TestConstructor(autowireMode = TestConstructor.AutowireMode.ALL)
public @interface InvoiceServiceTest {

	/** Objects under this prefix belong to an all-or-nothing feed. */
	String STRICT_FEED = "invoices/strict/";

}
