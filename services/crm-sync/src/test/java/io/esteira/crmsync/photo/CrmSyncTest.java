package io.esteira.crmsync.photo;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.esteira.testkit.EsteiraTest;

/**
 * The one application context of crm-sync's integration tests (same properties, so Spring caches it): a token,
 * three attempts as the test queues' {@code maxReceiveCount}, short backoffs without jitter (1 s, then 2 s) and
 * timeouts, a sync lease as long as the test queues' visibility timeout (3 s). No outage pause (the tests fail HubSpot
 * on purpose, and count the attempts): {@code CrmOutageTest} has one. Tenants {@code acme} and {@code globex} have CRM
 * connections of their own, {@code hooli} one whose key cannot be read; the default tenant has the global one.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@EsteiraTest(properties = { "esteira.crm.hubspot.token=" + CrmSyncTest.TOKEN,
		"esteira.crm.public-base-url=https://esteira.example/", "esteira.crm.hubspot.read-timeout=1s",
		"esteira.retry.steps.crm-sync.max-attempts=3", "esteira.retry.steps.crm-sync.initial-interval=1s",
		"esteira.retry.steps.crm-sync.max-delay=2s", "esteira.retry.steps.crm-sync.jitter=NONE",
		"esteira.crm.rate-limit.period=2s",
		"esteira.crm.retry.sync-lease=3s", "esteira.crm.retry.claim-timeout=2s", "esteira.crm.batch.message-visibility-seconds=10",
		"esteira.crm.rate-limit.key=crm-sync-tests", "esteira.crm.rate-limit.max-wait=500ms",
		"esteira.crm.retry.outage-after=1000",
		// Two tenants with HubSpot accounts of their own (TenantConnectionsTest): acme's key from a mounted file,
		// globex's from the environment (surefire sets it, pom.xml) and its API under another base URL.
		"esteira.crm.tenants.acme.token=file:" + CrmSyncTest.ACME_TOKEN_FILE, "esteira.crm.tenants.acme.portal-id=1001",
		"esteira.crm.tenants.acme.default-owner-id=" + CrmSyncTest.ACME_DEFAULT_OWNER,
		"esteira.crm.tenants.globex.token=env:ESTEIRA_TEST_GLOBEX_TOKEN",
		"esteira.crm.tenants.globex.base-url=${esteira.crm.hubspot.base-url}" + CrmSyncTest.GLOBEX_PATH,
		"esteira.crm.tenants.globex.rate-limit.requests=50",
		// A tenant whose mounted key is missing: its uploads are retried, never sent without a key.
		"esteira.crm.tenants.hooli.token=file:${java.io.tmpdir}/esteira-crm-sync-tests/no-such-key" })
@interface CrmSyncTest {

	String TOKEN = "pat-na1-5e3c7a2b-test-token";

	/** Where acme's key is mounted; the tests that use it write it. */
	String ACME_TOKEN_FILE = "${java.io.tmpdir}/esteira-crm-sync-tests/acme-token";

	String ACME_DEFAULT_OWNER = "901";

	/** Globex's HubSpot answers under this path of the stand-in (another base URL). */
	String GLOBEX_PATH = "/globex";

	/** What pom.xml puts into ESTEIRA_TEST_GLOBEX_TOKEN. */
	String GLOBEX_TOKEN = "pat-eu1-globex-test-token";

}
