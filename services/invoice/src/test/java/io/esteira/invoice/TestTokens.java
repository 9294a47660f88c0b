package io.esteira.invoice;

import io.esteira.testkit.TestIdentityProvider;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistrar;

/**
 * Bearer tokens for the tests: one {@link TestIdentityProvider} (a JWKS over HTTP) for the JVM, because every
 * {@link InvoiceServiceTest} class shares one application context; it stops when the JVM does. Imported by
 * {@link InvoiceServiceTest}, which so accepts its tokens ({@link TestIdentityProvider#properties()}).
 */
@TestConfiguration(proxyBeanMethods = false)
public class TestTokens {

	private static final TestIdentityProvider IDENTITY_PROVIDER = start();

	/**
	 * A valid access token.
	 * @param tenant the {@code tenant} claim, none when {@code null}
	 * @param customerDocument the {@code customer_document} claim, none when {@code null}
	 */
	public static String token(String subject, String tenant, String customerDocument, String... scopes) {
		return IDENTITY_PROVIDER.token(subject, tenant, customerDocument, scopes);
	}

	@Bean
	static DynamicPropertyRegistrar identityProviderProperties() {
		return (registry) -> IDENTITY_PROVIDER.properties().forEach((name, value) -> registry.add(name, () -> value));
	}

	private static TestIdentityProvider start() {
		TestIdentityProvider provider = TestIdentityProvider.start();
		Runtime.getRuntime().addShutdownHook(new Thread(provider::close, "test-identity-provider-stop"));
		return provider;
	}

}
