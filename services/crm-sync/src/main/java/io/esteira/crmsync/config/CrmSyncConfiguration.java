package io.esteira.crmsync.config;

import java.time.Clock;

import io.esteira.crmsync.crm.hubspot.HubSpotCrmClient;
import io.esteira.shared.aws.EsteiraAwsProperties;
import io.esteira.shared.outbox.SqsOutboxRelay;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.client.RestClient;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ EsteiraAwsProperties.class, CrmProperties.class })
@Import(SqsOutboxRelay.class)
class CrmSyncConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(CrmSyncConfiguration.class);

	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

	@Bean
	HubSpotCrmClient hubSpotCrmClient(RestClient.Builder restClientBuilder, CrmProperties crm) {
		CrmProperties.HubSpot hubSpot = crm.hubspot();
		if (!hubSpot.hasToken()) {
			logger.warn("No HubSpot token (esteira.crm.hubspot.token / HUBSPOT_TOKEN): contact updates will be "
					+ "retried and end in the dead-letter queue until one is configured");
		}
		return HubSpotCrmClient.create(restClientBuilder, hubSpot.baseUrl(), hubSpot.token(),
				hubSpot.connectTimeout(), hubSpot.readTimeout());
	}

}
