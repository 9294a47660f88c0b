package io.esteira.localstack;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** {@code -Dreplicas} as the local stack reads it. */
class ReplicasTest {

	@Test
	void noneOrBlankIsOneOfEach() {
		assertThat(Replicas.parse(null)).isEqualTo(Replicas.one());
		assertThat(Replicas.parse(" ")).hasToString("ingest:1,image-processing:1,invoice:1,crm-sync:1");
		assertThat(Replicas.one().total()).isEqualTo(4);
	}

	@Test
	void aNumberAppliesToEveryProcessingServiceButNotIngest() {
		Replicas replicas = Replicas.parse("2");
		assertThat(replicas.of(EsteiraService.INGEST)).isEqualTo(1);
		assertThat(replicas.of(EsteiraService.IMAGE_PROCESSING)).isEqualTo(2);
		assertThat(replicas.of(EsteiraService.INVOICE)).isEqualTo(2);
		assertThat(replicas.of(EsteiraService.CRM_SYNC)).isEqualTo(2);
		assertThat(replicas.total()).isEqualTo(7);
	}

	@Test
	void servicesNamedGetTheirCountAndTheOthersOne() {
		Replicas replicas = Replicas.parse(" crm-sync:2, image-processing:3 ");
		assertThat(replicas).hasToString("ingest:1,image-processing:3,invoice:1,crm-sync:2");
		assertThat(Replicas.parse(replicas.toString())).isEqualTo(replicas);
		assertThat(Replicas.parse("ingest:1,crm-sync:2").of(EsteiraService.CRM_SYNC)).isEqualTo(2);
	}

	@Test
	void unknownServicesCountsOutOfRangeAndSeveralIngestsAreRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> Replicas.parse("crm:2")).withMessageContaining("crm");
		assertThatIllegalArgumentException().isThrownBy(() -> Replicas.parse("0"));
		assertThatIllegalArgumentException().isThrownBy(() -> Replicas.parse("crm-sync:" + (Replicas.MAX + 1)));
		assertThatIllegalArgumentException().isThrownBy(() -> Replicas.parse("two"));
		assertThatIllegalArgumentException().isThrownBy(() -> Replicas.parse("crm-sync:2:3"));
		assertThatIllegalArgumentException().isThrownBy(() -> Replicas.parse("ingest:2"))
			.withMessageContaining("ingest runs once");
	}

}
