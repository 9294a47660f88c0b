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
 * on purpose, and count the attempts): {@code CrmOutageTest} has one.
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
		"esteira.crm.retry.outage-after=1000" })
@interface CrmSyncTest {

	String TOKEN = "pat-na1-5e3c7a2b-test-token";

}
