package io.esteira.crmsync.config;

import java.time.Clock;
import java.util.List;

import javax.sql.DataSource;

import io.esteira.crmsync.crm.CrmAvailability;
import io.esteira.crmsync.crm.CrmCallGate;
import io.esteira.crmsync.crm.CrmClient;
import io.esteira.crmsync.crm.CrmRateLimiter;
import io.esteira.crmsync.crm.CrmRequestGate;
import io.esteira.crmsync.crm.hubspot.HubSpotCrmClient;
import io.esteira.crmsync.crm.webhook.WebhookCrmClient;
import io.esteira.platform.aws.EsteiraAwsProperties;
import io.esteira.platform.aws.RequiredAwsResources;
import io.esteira.platform.outbox.SqsOutboxRelay;
import io.esteira.platform.retry.RetryPolicies;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
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

	/** The CRM's rate limit, shared with every other instance through PostgreSQL (table crm_rate_limit_buckets). */
	@Bean
	CrmRateLimiter crmRateLimiter(DataSource dataSource, CrmProperties crm) {
		CrmProperties.RateLimit limit = crm.rateLimit();
		ProxyManager<String> buckets = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
			.primaryKeyMapper(PrimaryKeyMapper.STRING)
			.table("crm_rate_limit_buckets")
			.idColumn("id")
			.stateColumn("state")
			.build();
		return new CrmRateLimiter(buckets, new CrmRateLimiter.Settings(limit.key(), limit.requests(), limit.burst(),
				limit.period(), limit.margin(), limit.daily(), limit.searchRequestsPerSecond(), limit.maxWait()));
	}

	@Bean
	CrmRequestGate crmRequestGate(CrmRateLimiter limiter, CrmAvailability availability, Clock clock,
			CrmProperties crm) {
		return new CrmCallGate(limiter, availability, clock, crm.rateLimit().dailyResetZone(),
				crm.retry().credentialsPause(), new CrmCallGate.Outage(crm.retry().outageAfter(),
						crm.retry().outagePause(), crm.retry().outageMaxPause()));
	}

	/** The adapter chosen by {@code esteira.crm.adapter}; every request it sends passes the gate. */
	@Bean
	CrmClient crmClient(RestClient.Builder restClientBuilder, CrmProperties crm, CrmRequestGate gate, Clock clock) {
		return switch (crm.adapter()) {
			case HUBSPOT -> hubSpot(restClientBuilder, crm.hubspot(), gate);
			case WEBHOOK -> webhook(restClientBuilder, crm.webhook(), clock, gate);
		};
	}

	@Bean
	ContactPropertyInitializer contactPropertyInitializer(CrmClient crmClient, CrmProperties crm) {
		return new ContactPropertyInitializer(crmClient, crm);
	}

	private static CrmClient hubSpot(RestClient.Builder builder, CrmProperties.HubSpot hubSpot, CrmRequestGate gate) {
		if (!hubSpot.hasToken()) {
			logger.warn("No HubSpot key (esteira.crm.hubspot.token / HUBSPOT_TOKEN): contact updates will be "
					+ "retried and end in the dead-letter queue until one is configured");
		}
		return HubSpotCrmClient.create(builder, hubSpot.baseUrl(), hubSpot.token(), hubSpot.apiVersion(),
				hubSpot.connectTimeout(), hubSpot.readTimeout(), gate);
	}

	private static CrmClient webhook(RestClient.Builder builder, CrmProperties.Webhook webhook, Clock clock,
			CrmRequestGate gate) {
		if (webhook.url() == null || webhook.url().isBlank() || webhook.secret() == null
				|| webhook.secret().isBlank()) {
			logger.warn("CRM adapter 'webhook' without esteira.crm.webhook.url or .secret: every CRM action will be "
					+ "retried and end in the dead-letter queue until both are configured");
		}
		return WebhookCrmClient.create(builder, webhook.url(), webhook.secret(), webhook.connectTimeout(),
				webhook.readTimeout(), clock, gate);
	}

}
