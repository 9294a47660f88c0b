package io.esteira.crmsync.contact;

import io.esteira.crmsync.crm.PhoneNumber;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class BrazilianPhoneNumbersTest {

	@ParameterizedTest
	@ValueSource(strings = { "+55 11 98765-4321", "+55 (11) 98765-4321", "(11) 98765-4321", "11 98765 4321",
			"11987654321", "5511987654321", "011 98765-4321", "0 21 11 98765-4321", "0055 11 98765-4321",
			"+55.11.98765.4321", "(11) 8765-4321", "+55 11 8765-4321" })
	void mobileNumbersWrittenManyWaysBecomeOneE164Number(String written) {
		assertThat(BrazilianPhoneNumbers.normalise(written)).hasValueSatisfying((number) -> {
			assertThat(number.e164()).isEqualTo("+5511987654321");
			assertThat(number.countryCode()).isEqualTo("55");
			assertThat(number.nationalNumber()).isEqualTo("11987654321");
			assertThat(number.internationalDigits()).isEqualTo("5511987654321");
			assertThat(number.legacyNationalNumber()).contains("1187654321");
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "(21) 3456-7890", "+55 21 3456-7890", "021 3456-7890", "552134567890" })
	void landlinesKeepTheirEightDigits(String written) {
		assertThat(BrazilianPhoneNumbers.normalise(written)).hasValueSatisfying((number) -> {
			assertThat(number.e164()).isEqualTo("+552134567890");
			assertThat(number.legacyNationalNumber()).isEmpty();
		});
	}

	@ParameterizedTest
	@NullAndEmptySource
	@ValueSource(strings = { "   ", "+1 415 555 0100", "+44 20 7946 0958", "98765-4321", "(11) 0876-5432",
			"(10) 98765-4321", "11 88765-4321", "(11) 1234-5678", "not a phone", "11 98765 4321 99" })
	void anythingElseIsNotABrazilianNumber(String written) {
		assertThat(BrazilianPhoneNumbers.normalise(written)).isEmpty();
	}

}
