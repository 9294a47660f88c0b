package io.esteira.crmsync.config;

import java.time.Clock;
import java.util.List;

import io.esteira.crmsync.crm.CrmAvailability;
import io.esteira.crmsync.crm.CrmClient;
import io.esteira.crmsync.crm.GuardedCrmClient;
import io.esteira.crmsync.crm.RateLimiter;
import io.esteira.crmsync.crm.hubspot.HubSpotCrmClient;
import io.esteira.crmsync.crm.webhook.WebhookCrmClient;
import io.esteira.platform.aws.EsteiraAwsProperties;
import io.esteira.platform.aws.RequiredAwsResources;
import io.esteira.platform.outbox.SqsOutboxRelay;
import io.esteira.platform.retry.RetryPolicies;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.client.RestClient;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ EsteiraAwsProperties.class, CrmProperties.class, RetryPolicies.class })
@Import(SqsOutboxRelay.class)
class CrmSyncConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(CrmSyncConfiguration.class);

	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

	/** Readiness: the queue it consumes and the status queue it reports to (it touches no bucket). */
	@Bean
	RequiredAwsResources requiredAwsResources(EsteiraAwsProperties aws) {
		return new RequiredAwsResources(List.of(), List.of(aws.queues().imageEvents(), aws.queues().status()));
	}

	/** Pauses CRM calls after a refused token or a used-up daily quota; health indicator {@code crm}. */
	@Bean
	CrmAvailability crmHealthIndicator(Clock clock, MeterRegistry meters) {
		return new CrmAvailability(clock, meters);
	}

	@Bean
	RateLimiter crmRateLimiter(CrmProperties crm) {
		CrmProperties.RateLimit limit = crm.rateLimit();
		return new RateLimiter(limit.requests(), limit.period().plus(limit.margin()), limit.maxWait());
	}

	/** The adapter chosen by {@code esteira.crm.adapter}, behind the pause, the rate limiter and their reactions. */
	@Bean
	CrmClient crmClient(RestClient.Builder restClientBuilder, CrmProperties crm, RateLimiter limiter,
			CrmAvailability availability, Clock clock) {
		CrmClient adapter = switch (crm.adapter()) {
			case HUBSPOT -> hubSpot(restClientBuilder, crm.hubspot());
			case WEBHOOK -> webhook(restClientBuilder, crm.webhook(), clock);
		};
		return new GuardedCrmClient(adapter, limiter, availability, clock, crm.rateLimit().dailyResetZone(),
				crm.retry().credentialsPause(), crm.rateLimit().period());
	}

	@Bean
	ContactPropertyInitializer contactPropertyInitializer(CrmClient crmClient, CrmProperties crm) {
		return new ContactPropertyInitializer(crmClient, crm);
	}

	private static CrmClient hubSpot(RestClient.Builder builder, CrmProperties.HubSpot hubSpot) {
		if (!hubSpot.hasToken()) {
			logger.warn("No HubSpot token (esteira.crm.hubspot.token / HUBSPOT_TOKEN): contact updates will be "
					+ "retried and end in the dead-letter queue until one is configured");
		}
		return HubSpotCrmClient.create(builder, hubSpot.baseUrl(), hubSpot.token(), hubSpot.connectTimeout(),
				hubSpot.readTimeout());
	}

	private static CrmClient webhook(RestClient.Builder builder, CrmProperties.Webhook webhook, Clock clock) {
		if (webhook.url() == null || webhook.url().isBlank() || webhook.secret() == null
				|| webhook.secret().isBlank()) {
			logger.warn("CRM adapter 'webhook' without esteira.crm.webhook.url or .secret: every CRM action will be "
					+ "retried and end in the dead-letter queue until both are configured");
		}
		return WebhookCrmClient.create(builder, webhook.url(), webhook.secret(), webhook.connectTimeout(),
				webhook.readTimeout(), clock);
	}

}
