package io.esteira.invoice;

import java.util.List;
import java.util.StringJoiner;

/** Invoice files for tests, written in code. */
public final class InvoiceFiles {

	private InvoiceFiles() {
	}

	/** Three valid invoices, English fields, ISO dates: ACME 1001 and 1002, Padaria 1003. */
	public static String threeValidInvoices() {
		return jsonArray(invoice("1001", "ACME Ltda", "1500.00", "2026-01-15"),
				invoice("1002", "ACME Ltda", "250.50", "2026-01-20"),
				invoice("1003", "Padaria Pão Quente", "89.90", "2026-01-10"));
	}

	/** Two valid invoices (Portuguese fields, Brazilian dates) and one with a negative amount and no customer. */
	public static String twoValidAndOneInvalidInvoice() {
		return """
				[
				  {"numero": "2001", "cliente": "Oficina do Zé", "valor": "320.00", "dataEmissao": "02/02/2026"},
				  {"numero": 2002, "cliente": "Oficina do Zé", "valor": 45, "data": "03/02/2026"},
				  {"numero": "2003", "valor": -5, "data": "04/02/2026"}
				]
				""";
	}

	/** Not an invoice file at all, whatever its name says. */
	public static String aPdfFile() {
		return "%PDF-1.7\n%âãÏÓ\n1 0 obj << /Type /Catalog >> endobj\n";
	}

	/** A spreadsheet export: semicolons, Brazilian decimals and dates. */
	public static String aCsvFile() {
		return "numero;cliente;valor;data\n1001;ACME Ltda;1500,00;15/01/2026\n";
	}

	/** A JSON array whose records are all invalid. */
	public static String onlyInvalidInvoices() {
		return """
				[{"numero": "1", "cliente": "ACME", "valor": 0, "data": "31/02/2026"}, {"foo": "bar"}]
				""";
	}

	public static String invoice(String number, String customer, String amount, String isoDate) {
		return "{\"number\": \"" + number + "\", \"customer\": \"" + customer + "\", \"amount\": " + amount
				+ ", \"date\": \"" + isoDate + "\"}";
	}

	public static String jsonArray(String... invoices) {
		StringJoiner array = new StringJoiner(",\n  ", "[\n  ", "\n]\n");
		List.of(invoices).forEach(array::add);
		return array.toString();
	}

}
