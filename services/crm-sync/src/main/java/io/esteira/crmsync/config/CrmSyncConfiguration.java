package io.esteira.crmsync.config;

import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import io.esteira.contracts.event.Tenants;
import io.esteira.crmsync.crm.AwsSecretsManager;
import io.esteira.crmsync.crm.CrmAvailability;
import io.esteira.crmsync.crm.CrmCallGate;
import io.esteira.crmsync.crm.CrmClient;
import io.esteira.crmsync.crm.CrmKey;
import io.esteira.crmsync.crm.CrmConnection;
import io.esteira.crmsync.crm.CrmConnections;
import io.esteira.crmsync.crm.CrmRateLimiter;
import io.esteira.crmsync.crm.CrmRequestGate;
import io.esteira.crmsync.crm.SecretReferences;
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
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.providers.AwsRegionProvider;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

import org.springframework.beans.factory.ObjectProvider;

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

	/** The rows of the CRM's rate limits, shared with every other instance (table crm_rate_limit_buckets). */
	@Bean
	ProxyManager<String> crmRateLimitBuckets(DataSource dataSource) {
		return Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
			.primaryKeyMapper(PrimaryKeyMapper.STRING)
			.table("crm_rate_limit_buckets")
			.idColumn("id")
			.stateColumn("state")
			.build();
	}

	/** The global connection's rate limit (the default tenant's), bucket {@code rate-limit.key}. */
	@Bean
	CrmRateLimiter crmRateLimiter(ProxyManager<String> crmRateLimitBuckets, CrmProperties crm) {
		return rateLimiter(crmRateLimitBuckets, crm.rateLimit(), crm.rateLimit().key(), crm.rateLimit().requests());
	}

	@Bean
	CrmRequestGate crmRequestGate(CrmRateLimiter limiter, CrmAvailability availability, Clock clock,
			CrmProperties crm) {
		return gate(limiter, availability, clock, crm);
	}

	/** Reads the tenants' keys from their references (environment, mounted files, AWS Secrets Manager). */
	@Bean
	SecretReferences crmSecretReferences(CrmProperties crm, ObjectProvider<AwsCredentialsProvider> credentials,
			ObjectProvider<AwsRegionProvider> regions, Clock clock) {
		CrmProperties.Secrets secrets = crm.secrets();
		AwsCredentialsProvider provider = credentials.getIfAvailable(
				() -> DefaultCredentialsProvider.builder().build());
		AwsRegionProvider region = regions.getIfAvailable(DefaultAwsRegionProviderChain::new);
		URI endpoint = (secrets.awsEndpoint() == null || secrets.awsEndpoint().isBlank()) ? null
				: URI.create(secrets.awsEndpoint());
		return new SecretReferences(secrets.cacheTtl(), System::getenv,
				new AwsSecretsManager(endpoint, () -> region.getRegion().id(), provider, secrets.timeout()), clock);
	}

	/**
	 * The CRM connection of each tenant: the default tenant's is the adapter's client (below) unless
	 * {@code esteira.crm.tenants.default} is set; every other tenant under {@code esteira.crm.tenants} gets a HubSpot
	 * client of its own: its key read from its reference, its base URL, its own rate-limit bucket
	 * ({@code <rate-limit.key>:<tenant>}) and its own pauses (a refused key or used-up quota of one account stops
	 * nobody else's uploads).
	 */
	@Bean
	CrmConnections crmConnections(CrmClient crmClient, CrmProperties crm, SecretReferences secrets,
			RestClient.Builder restClientBuilder, ProxyManager<String> crmRateLimitBuckets, Clock clock,
			MeterRegistry meters) {
		checkTenants(crm);
		Map<String, CrmConnection> connections = new LinkedHashMap<>();
		connections.put(Tenants.DEFAULT, new CrmConnection(Tenants.DEFAULT, crmClient, null, null));
		crm.tenants().forEach((tenant, connection) -> {
			int requests = (connection.rateLimit() != null && connection.rateLimit().requests() != null)
					? connection.rateLimit().requests() : crm.rateLimit().requests();
			CrmRateLimiter limiter = rateLimiter(crmRateLimitBuckets, crm.rateLimit(),
					crm.rateLimit().key() + ":" + tenant, requests);
			CrmRequestGate gate = gate(limiter, new CrmAvailability(clock, meters, tenant), clock, crm);
			String baseUrl = (connection.baseUrl() != null && !connection.baseUrl().isBlank()) ? connection.baseUrl()
					: crm.hubspot().baseUrl();
			String setting = "esteira.crm.tenants." + tenant + ".token";
			CrmClient client = HubSpotCrmClient.create(restClientBuilder, baseUrl,
					secrets.key(connection.token(), setting), setting, crm.hubspot().apiVersion(),
					crm.hubspot().connectTimeout(), crm.hubspot().readTimeout(), gate);
			connections.put(tenant, new CrmConnection(tenant, client, connection.portalId(),
					connection.defaultOwnerId()));
			logger.info("CRM connection of tenant {}: HubSpot at {}{}, key from {}, {} requests per {}", tenant,
					baseUrl, (connection.portalId() != null) ? " (portal " + connection.portalId() + ")" : "",
					connection.token().substring(0, connection.token().indexOf(':')), requests,
					crm.rateLimit().period());
		});
		return new CrmConnections(connections);
	}

	/**
	 * Tenant ids as tenants have them, and keys named by reference: a key written as a value is refused, and not
	 * repeated in the message (a validation message would print it).
	 */
	static void checkTenants(CrmProperties crm) {
		crm.tenants().forEach((tenant, connection) -> {
			if (!Tenants.isValid(tenant)) {
				throw new IllegalStateException("esteira.crm.tenants." + tenant + ": not a tenant id (" + Tenants.PATTERN
						+ ")");
			}
			if (!SecretReferences.isReference(connection.token())) {
				throw new IllegalStateException("esteira.crm.tenants." + tenant + ".token must be a secret reference "
						+ "(env:NAME, file:/path or aws-secretsmanager:<secret-id>), not the key itself");
			}
		});
	}

	private static CrmRateLimiter rateLimiter(ProxyManager<String> buckets, CrmProperties.RateLimit limit, String key,
			int requests) {
		int burst = Math.max(1, Math.min(limit.burst(), requests - 1));
		return new CrmRateLimiter(buckets, new CrmRateLimiter.Settings(key, requests, burst, limit.period(),
				limit.margin(), limit.daily(), limit.searchRequestsPerSecond(), limit.maxWait()));
	}

	private static CrmCallGate gate(CrmRateLimiter limiter, CrmAvailability availability, Clock clock,
			CrmProperties crm) {
		return new CrmCallGate(limiter, availability, clock, crm.rateLimit().dailyResetZone(),
				crm.retry().credentialsPause(), new CrmCallGate.Outage(crm.retry().outageAfter(),
						crm.retry().outagePause(), crm.retry().outageMaxPause()));
	}

	/** The adapter chosen by {@code esteira.crm.adapter}; every request it sends passes the gate. */
	@Bean
	CrmClient crmClient(RestClient.Builder restClientBuilder, CrmProperties crm, CrmRequestGate gate, Clock clock,
			SecretReferences secrets) {
		return switch (crm.adapter()) {
			case HUBSPOT -> hubSpot(restClientBuilder, crm.hubspot(), gate, secrets);
			case WEBHOOK -> webhook(restClientBuilder, crm.webhook(), clock, gate);
		};
	}

	@Bean
	ContactPropertyInitializer contactPropertyInitializer(CrmClient crmClient, CrmProperties crm,
			CrmConnections crmConnections) {
		return new ContactPropertyInitializer(crmClient, crm, crmConnections);
	}

	private static CrmClient hubSpot(RestClient.Builder builder, CrmProperties.HubSpot hubSpot, CrmRequestGate gate,
			SecretReferences secrets) {
		if (!hubSpot.hasToken()) {
			logger.warn("No HubSpot key (esteira.crm.hubspot.token / HUBSPOT_TOKEN): contact updates will be "
					+ "retried and end in the dead-letter queue until one is configured");
		}
		String setting = "esteira.crm.hubspot.token";
		// A value, or (like the tenants') a reference to one.
		CrmKey token = SecretReferences.isReference(hubSpot.token()) ? secrets.key(hubSpot.token(), setting)
				: hubSpot::token;
		return HubSpotCrmClient.create(builder, hubSpot.baseUrl(), token, setting, hubSpot.apiVersion(),
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
