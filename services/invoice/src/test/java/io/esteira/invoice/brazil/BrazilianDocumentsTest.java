package io.esteira.invoice.brazil;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BrazilianDocumentsTest {

	@ParameterizedTest
	@ValueSource(strings = { "11222333000181", "11.222.333/0001-81", "12ABC34501DE35", "12.ABC.345/01DE-35",
			"12abc34501de35", "00000000000191" })
	void validCnpjsIncludingAlphanumericOnesAreAccepted(String cnpj) {
		assertThat(BrazilianDocuments.isValidCnpj(cnpj)).isTrue();
		assertThat(BrazilianDocuments.isValidCpfOrCnpj(cnpj)).isTrue();
	}

	@ParameterizedTest
	@NullAndEmptySource
	@ValueSource(strings = { "11222333000182", "11222333000191", "1122233300018", "112223330001811",
			"12ABC34501DE36", "12ABC34501DE3A", "12ABC34501DEAB", "12ABC3450!DE35", "00000000000000",
			"11.222.333/0001-8X" })
	void cnpjsWithWrongCheckDigitsOrCharactersAreRejected(String cnpj) {
		assertThat(BrazilianDocuments.isValidCnpj(cnpj)).isFalse();
	}

	@Test
	void everyAlteredCharacterOfAnAlphanumericCnpjBreaksItsCheckDigits() {
		String valid = "12ABC34501DE35";
		for (int i = 0; i < 12; i++) {
			char replacement = (valid.charAt(i) == 'Z') ? 'Y' : (char) (valid.charAt(i) + 1);
			String altered = valid.substring(0, i) + replacement + valid.substring(i + 1);
			assertThat(BrazilianDocuments.isValidCnpj(altered)).as(altered).isFalse();
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "52998224725", "529.982.247-25", "11144477735", "00000000191" })
	void validCpfsAreAccepted(String cpf) {
		assertThat(BrazilianDocuments.isValidCpf(cpf)).isTrue();
		assertThat(BrazilianDocuments.isValidCpfOrCnpj(cpf)).isTrue();
	}

	@ParameterizedTest
	@NullAndEmptySource
	@ValueSource(strings = { "52998224724", "52998224735", "5299822472", "529982247250", "11111111111",
			"00000000000", "99999999999", "5299822472A" })
	void cpfsWithWrongCheckDigitsOrAllEqualDigitsAreRejected(String cpf) {
		assertThat(BrazilianDocuments.isValidCpf(cpf)).isFalse();
	}

	@Test
	void allEqualDigitsAreRejectedEvenThoughTheirCheckDigitsAddUp() {
		// 111.111.111-11 passes the arithmetic; the rule excludes it explicitly.
		for (char digit = '0'; digit <= '9'; digit++) {
			assertThat(BrazilianDocuments.isValidCpf(String.valueOf(digit).repeat(11))).isFalse();
		}
	}

	@Test
	void accessKeyCheckDigitIsMod11OverTheFirst43Digits() {
		String body = "3526031122233300018155001000001234100000001";
		assertThat(BrazilianDocuments.mod11(body, 43)).isEqualTo(5);
		assertThat(BrazilianDocuments.isValidAccessKey(body + "5")).isTrue();
		assertThat(BrazilianDocuments.isValidAccessKey(body + "4")).isFalse();
		assertThat(BrazilianDocuments.isValidAccessKey(body)).isFalse();
		assertThat(BrazilianDocuments.isValidAccessKey(body.replace('3', 'A') + "5")).isFalse();
		assertThat(BrazilianDocuments.isValidAccessKey(null)).isFalse();
	}

	@Test
	void remaindersBelowTwoGiveZero() {
		assertThat(BrazilianDocuments.mod11("000000000001", 12)).isEqualTo(9); // remainder 2
		assertThat(BrazilianDocuments.mod11("00000000006", 11)).isZero(); // remainder 1
		assertThat(BrazilianDocuments.mod11("00000000000", 11)).isZero(); // remainder 0
	}

	@Test
	void normalizeRemovesPunctuationAndUpperCases() {
		assertThat(BrazilianDocuments.normalize(" 12.abc.345/01de-35 ")).isEqualTo("12ABC34501DE35");
		assertThat(BrazilianDocuments.normalize(null)).isNull();
	}

}
