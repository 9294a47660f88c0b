package io.esteira.platform.security;

import java.util.Set;

import io.esteira.contracts.event.Tenants;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class EsteiraPrincipalTest {

	@Test
	void aCallerSeesItsOwnTenantOnlyUnlessItIsAnAdmin() {
		EsteiraPrincipal acme = new EsteiraPrincipal("chatbot", "acme", null, Set.of("uploads:read"));
		EsteiraPrincipal unnamed = new EsteiraPrincipal("legacy", null, null, Set.of("uploads:read"));
		EsteiraPrincipal admin = new EsteiraPrincipal("ops", "acme", null, Set.of(EsteiraPrincipal.ADMIN_SCOPE));

		assertThat(acme.canSee("acme")).isTrue();
		assertThat(acme.canSee("globex")).isFalse();
		assertThat(acme.canSee(null)).isFalse();
		assertThat(unnamed.tenantId()).isEqualTo(Tenants.DEFAULT);
		assertThat(unnamed.canSee(Tenants.DEFAULT)).isTrue();
		assertThat(unnamed.canSee("acme")).isFalse();
		assertThat(admin.canSee("globex")).isTrue();
	}

	@Test
	void aCustomerDocumentIsKeptWithoutPunctuation() {
		EsteiraPrincipal customer = new EsteiraPrincipal("c", "acme", " 12.abc.345/01de-35 ", Set.of());
		assertThat(customer.customerDocument()).isEqualTo("12ABC34501DE35");
		assertThat(customer.isCustomerScoped()).isTrue();
		assertThat(new EsteiraPrincipal("c", "acme", " ", Set.of()).isCustomerScoped()).isFalse();
	}

	@Test
	void anApiKeyWithAMalformedTenantIsRefusedAtStartup() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ApiKeyProperties.ApiKey("k", "00", Set.of(), "Acme Corp", null))
			.withMessageContaining("tenant");
	}

}
