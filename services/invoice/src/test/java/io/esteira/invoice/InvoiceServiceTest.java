package io.esteira.invoice;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.esteira.testkit.EsteiraTest;

import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestConstructor;

/**
 * The invoice service against the test kit's infrastructure, with the {@link TestApiKeys} registered and the bearer
 * tokens of {@link TestTokens} accepted. Every test class uses the same properties, so they share one application
 * context. Test constructors are autowired.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@EsteiraTest(properties = { "esteira.security.api-keys[0].name=test-reader",
		"esteira.security.api-keys[0].sha256=" + TestApiKeys.READER_SHA256,
		"esteira.security.api-keys[0].scopes=invoices:read", "esteira.security.api-keys[1].name=test-uploader",
		"esteira.security.api-keys[1].sha256=" + TestApiKeys.UPLOADER_SHA256,
		"esteira.security.api-keys[1].scopes=uploads:write",
		"esteira.security.api-keys[2].name=test-tenant-a", "esteira.security.api-keys[2].tenant=" + TestApiKeys.TENANT_A,
		"esteira.security.api-keys[2].sha256=" + TestApiKeys.TENANT_A_READER_SHA256,
		"esteira.security.api-keys[2].scopes=invoices:read", "esteira.security.api-keys[3].name=test-tenant-b",
		"esteira.security.api-keys[3].tenant=" + TestApiKeys.TENANT_B,
		"esteira.security.api-keys[3].sha256=" + TestApiKeys.TENANT_B_READER_SHA256,
		"esteira.security.api-keys[3].scopes=invoices:read", "esteira.security.api-keys[4].name=test-admin",
		"esteira.security.api-keys[4].sha256=" + TestApiKeys.ADMIN_SHA256,
		"esteira.security.api-keys[4].scopes=invoices:read,admin", "esteira.security.api-keys[5].name=test-customer",
		"esteira.security.api-keys[5].tenant=" + TestApiKeys.TENANT_A,
		"esteira.security.api-keys[5].customer-document=" + TestApiKeys.CUSTOMER_DOCUMENT,
		"esteira.security.api-keys[5].sha256=" + TestApiKeys.CUSTOMER_READER_SHA256,
		"esteira.security.api-keys[5].scopes=invoices:read",
		"esteira.invoices.all-or-nothing-prefixes=" + InvoiceServiceTest.STRICT_FEED,
		// As many attempts as the test kit's queues allow receives; short, predictable delays (1 s, then 2 s).
		"esteira.retry.steps.invoice-import.max-attempts=3", "esteira.retry.steps.invoice-import.initial-interval=1s",
		"esteira.retry.steps.invoice-import.backoff-rate=2", "esteira.retry.steps.invoice-import.jitter=NONE",
		// The kit stops PostgreSQL in a JVM shutdown hook that races Spring's: the context, closing after the
		// database, would wait the whole pool timeout (30 s) for a connection it can no longer get.
		"spring.datasource.hikari.connection-timeout=1000" })
@Import(TestTokens.class)
@TestConstructor(autowireMode = TestConstructor.AutowireMode.ALL)
public @interface InvoiceServiceTest {

	/** Objects under this prefix belong to an all-or-nothing feed. */
	String STRICT_FEED = "invoices/strict/";

}
