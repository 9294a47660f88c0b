package io.esteira.ingest.upload;

/**
 * Customer phones compared by their digits, however they were written ({@code +55 (11) 98765-4321} and
 * {@code 5511987654321} are one phone): what the listing's {@code customer=} filter and the erasure of a customer
 * match.
 */
public final class CustomerPhones {

	/**
	 * A row's phone as digits, in SQL: exactly the expression {@code V9__customer_lookup_indexes.sql} indexes, or the
	 * index is not used.
	 */
	public static final String DIGITS_SQL = "regexp_replace(customer_phone, '[^0-9]', '', 'g')";

	private CustomerPhones() {
	}

	/** The digits of {@code phone}, as {@link #DIGITS_SQL} makes of a row's. */
	public static String digits(String phone) {
		return phone.replaceAll("[^0-9]", "");
	}

}
