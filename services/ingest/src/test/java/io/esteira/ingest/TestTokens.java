package io.esteira.ingest;

import io.esteira.testkit.TestIdentityProvider;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.context.DynamicPropertyRegistrar;

/**
 * Bearer tokens for {@link IngestIntegrationTest}: one {@link TestIdentityProvider} per JVM (the context that trusts
 * it is cached and shared by every test class, so it lives as long as the JVM, stopped at exit), whose
 * {@link TestIdentityProvider#properties()} the context gets. {@link IngestApi} sends a token as
 * {@code Authorization: Bearer}.
 */
public final class TestTokens {

	private static final TestIdentityProvider PROVIDER = start();

	private TestTokens() {
	}

	/** A valid access token of {@code tenant} with {@code scopes}; {@code customerDocument} may be {@code null}. */
	public static String token(String subject, String tenant, String customerDocument, String... scopes) {
		return PROVIDER.token(subject, tenant, customerDocument, scopes);
	}

	private static TestIdentityProvider start() {
		TestIdentityProvider provider = TestIdentityProvider.start();
		Runtime.getRuntime().addShutdownHook(new Thread(provider::close));
		return provider;
	}

	/** Points {@code esteira.security.jwt.*} at the JVM's identity provider. */
	@Configuration(proxyBeanMethods = false)
	public static class Setup {

		@Bean
		static DynamicPropertyRegistrar testIdentityProviderProperties() {
			return (registry) -> PROVIDER.properties().forEach((name, value) -> registry.add(name, () -> value));
		}

	}

}
