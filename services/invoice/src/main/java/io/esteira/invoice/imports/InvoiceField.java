package io.esteira.invoice.imports;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The fields of an invoice and the names JSON keys and CSV headers use for them, in English or Portuguese
 * (case-insensitive; spaces, underscores, dots, slashes and dashes are ignored, so {@code "Data de Emissão"} works).
 */
enum InvoiceField {

	NUMBER(true, "number", "numero", "número", "nf", "nnf"), CUSTOMER(true, "customer", "cliente", "destinatario"),
	AMOUNT(true, "amount", "valor", "valortotal", "total", "vnf"),
	DATE(true, "date", "issuedate", "data", "dataemissao", "dataemissão", "datadeemissao", "datadeemissão",
			"emissao", "emissão"),
	SERIES(false, "series", "serie", "série"), CURRENCY(false, "currency", "moeda"),
	CUSTOMER_DOCUMENT(false, "customerdocument", "documento", "cnpj", "cpf", "cpfcnpj", "cnpjcpf", "customercnpj",
			"customercpf", "documentocliente"),
	ISSUER_DOCUMENT(false, "issuerdocument", "emitente", "cnpjemitente", "issuercnpj", "documentoemitente"),
	DUE_DATE(false, "duedate", "vencimento", "datavencimento", "datadevencimento"),
	ACCESS_KEY(false, "accesskey", "chave", "chaveacesso", "chavedeacesso", "chnfe");

	private static final Map<String, InvoiceField> BY_NAME = new HashMap<>();

	private static final Pattern IGNORED = Pattern.compile("[\\s_./-]");

	static {
		for (InvoiceField field : values()) {
			for (String name : field.names) {
				BY_NAME.put(name, field);
			}
		}
	}

	private final boolean required;

	private final String[] names;

	InvoiceField(boolean required, String... names) {
		this.required = required;
		this.names = names;
	}

	boolean required() {
		return this.required;
	}

	/** The English name errors use when the file does not name the field itself (a missing field). */
	String canonicalName() {
		return switch (this) {
			case CUSTOMER_DOCUMENT -> "customerDocument";
			case ISSUER_DOCUMENT -> "issuerDocument";
			case DUE_DATE -> "dueDate";
			case ACCESS_KEY -> "accessKey";
			default -> this.names[0];
		};
	}

	/** The field a JSON key or CSV header names, or {@code null}. */
	static InvoiceField named(String name) {
		String key = IGNORED.matcher(name.strip().toLowerCase(Locale.ROOT)).replaceAll("");
		return BY_NAME.get(key);
	}

}
