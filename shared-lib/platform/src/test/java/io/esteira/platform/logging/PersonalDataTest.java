package io.esteira.platform.logging;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PersonalDataTest {

	@Test
	void eMailsKeepTheirFirstCharacterAndDomain() {
		assertThat(PersonalData.mask("linked ana.souza+fotos@example.com.br to contact 901"))
			.isEqualTo("linked a***@example.com.br to contact 901");
	}

	@Test
	void phonesWrittenAsPhonesKeepTheirLastTwoDigits() {
		assertThat(PersonalData.mask("phone +5511999990012")).isEqualTo("phone +***********12");
		assertThat(PersonalData.mask("phone +55 11 99999-0034")).isEqualTo("phone +** ** *****-**34");
		assertThat(PersonalData.mask("phone (11) 99999-0056.")).isEqualTo("phone (**) *****-**56.");
	}

	@Test
	void cpfsAreMaskedFormattedOrAsElevenDigitsWithTheirCheckDigits() {
		assertThat(PersonalData.mask("cpf 529.982.247-25")).isEqualTo("cpf ***.***.***-25");
		assertThat(PersonalData.mask("cpf=52998224725")).isEqualTo("cpf=*********25");
	}

	@Test
	void otherNumbersAreLeftAlone() {
		String line = "2026-12-06T17:40:00.123Z upload 0b8f7c52-8a1d-4a55-9f0e-1c2d3e4f5a6b contact 52998224726 "
				+ "took 1733505600000 ms, CNPJ 11222333000181, 3 of 11111111111, trace 4bf92f3577b34da6a3ce929d0e0e4736";
		assertThat(PersonalData.mask(line)).isEqualTo(line);
	}

}
