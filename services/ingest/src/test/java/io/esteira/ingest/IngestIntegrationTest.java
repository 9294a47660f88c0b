package io.esteira.ingest;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.esteira.testkit.EsteiraTest;

import org.springframework.context.annotation.Import;

/**
 * {@link EsteiraTest} with the API keys the tests use ({@link IngestApi#WRITER_KEY}, {@link IngestApi#READER_KEY},
 * {@link IngestApi#ADMIN_KEY}, and the writers {@link IngestApi#PARTNER_KEY} and {@link IngestApi#GUEST_KEY}, the
 * latter without a callback secret; tenant beta's {@link IngestApi#BETA_KEY} and customer-scoped
 * {@link IngestApi#BETA_CUSTOMER_KEY}, {@link IngestApi#ERASER_KEY} with {@code uploads:delete},
 * {@link IngestApi#NO_CRM_KEY} without {@code crm:write}), and bearer tokens of {@link TestTokens}' identity provider.
 * SNS and callbacks are sent to the test kit's WireMock ({@link TestNotifications}); callback hosts resolve through
 * {@link TestCallbackResolver}; the clock is a {@link TestClock}.
 * Every class that uses it shares one application context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Import({ TestClock.Setup.class, TestCallbackResolver.Setup.class, TestTokens.Setup.class })
@EsteiraTest(properties = { "esteira.security.api-keys[0].name=writer",
		"esteira.security.api-keys[0].sha256=" + IngestApi.WRITER_KEY_SHA256,
		"esteira.security.api-keys[0].scopes=uploads:write,uploads:read,crm:write",
		"esteira.security.api-keys[1].name=reader",
		"esteira.security.api-keys[1].sha256=" + IngestApi.READER_KEY_SHA256,
		"esteira.security.api-keys[1].scopes=uploads:read",
		"esteira.security.api-keys[2].name=admin",
		"esteira.security.api-keys[2].sha256=" + IngestApi.ADMIN_KEY_SHA256,
		"esteira.security.api-keys[2].scopes=admin,uploads:read",
		"esteira.security.api-keys[3].name=partner",
		"esteira.security.api-keys[3].sha256=" + IngestApi.PARTNER_KEY_SHA256,
		"esteira.security.api-keys[3].scopes=uploads:write,uploads:read,crm:write",
		"esteira.security.api-keys[4].name=guest",
		"esteira.security.api-keys[4].sha256=" + IngestApi.GUEST_KEY_SHA256,
		"esteira.security.api-keys[4].scopes=uploads:write,uploads:read,crm:write",
		// Tenants and customers (issue 17): tenant beta's client, a customer-scoped key of beta, a client that may
		// erase in the default tenant, a client without crm:write. Bearer tokens: TestTokens.
		"esteira.security.api-keys[5].name=beta", "esteira.security.api-keys[5].sha256=" + IngestApi.BETA_KEY_SHA256,
		"esteira.security.api-keys[5].scopes=uploads:write,uploads:read,uploads:delete,crm:write",
		"esteira.security.api-keys[5].tenant=beta",
		"esteira.security.api-keys[6].name=beta-customer",
		"esteira.security.api-keys[6].sha256=" + IngestApi.BETA_CUSTOMER_KEY_SHA256,
		"esteira.security.api-keys[6].scopes=uploads:write,uploads:read,uploads:delete",
		"esteira.security.api-keys[6].tenant=beta",
		"esteira.security.api-keys[6].customer-document=" + IngestApi.BETA_CUSTOMER_DOCUMENT,
		"esteira.security.api-keys[7].name=eraser", "esteira.security.api-keys[7].sha256=" + IngestApi.ERASER_KEY_SHA256,
		"esteira.security.api-keys[7].scopes=uploads:write,uploads:read,uploads:delete,crm:write",
		"esteira.security.api-keys[8].name=no-crm", "esteira.security.api-keys[8].sha256=" + IngestApi.NO_CRM_KEY_SHA256,
		"esteira.security.api-keys[8].scopes=uploads:write,uploads:read",
		// SNS and callbacks go to the test kit's WireMock (TestNotifications stubs it); fast retries.
		"spring.cloud.aws.sns.endpoint=${esteira.crm.hubspot.base-url}",
		"esteira.ingest.notifications.topic-arn=" + TestNotifications.TOPIC_ARN,
		// Callbacks: the writer client signs with its own secret; plain http and an internal address only to the
		// test kit's WireMock on localhost (host names resolved by TestCallbackResolver).
		"esteira.ingest.notifications.client-secrets.writer=" + TestNotifications.WRITER_CALLBACK_SECRET,
		"esteira.ingest.notifications.client-secrets.partner=" + TestNotifications.PARTNER_CALLBACK_SECRET,
		"esteira.ingest.notifications.insecure-callback-hosts=localhost",
		"esteira.ingest.notifications.internal-callback-receivers=localhost",
		// Small size limits per kind, so tests can go over them cheaply.
		"esteira.ingest.max-size.image=1MB", "esteira.ingest.max-size.invoice=64KB",
		// Foreign objects' keyed ids, so a test can work one out (ForeignObjectIds).
		"esteira.ingest.foreign-objects.id-secret=test-foreign-object-id-secret",
		"esteira.retry.steps.notified.initial-interval=1s", "esteira.retry.steps.notified.backoff-rate=1.5",
		"esteira.outbox.check-interval=200ms",
		// Status reports: 3 deliveries like the test kit's queues, 4 s then 6 s apart (longer than the queues' 3 s
		// visibility, so a test can tell the policy's delay from a plain redelivery).
		"esteira.retry.steps.status.max-attempts=3", "esteira.retry.steps.status.initial-interval=4s",
		"esteira.retry.steps.status.backoff-rate=1.5", "esteira.retry.steps.status.jitter=NONE",
		// A customer-wide erasure takes 3 uploads per request, so a test sees "remaining".
		"esteira.ingest.erasure.max-per-request=3",
		// The stuck check runs when a test calls it.
		"esteira.ingest.stuck.check-interval=1h",
		// Queue depths are read often enough for a test to see them change.
		"esteira.ingest.queue-metrics.initial-delay=1s", "esteira.ingest.queue-metrics.refresh-interval=1s" })
public @interface IngestIntegrationTest {

}
