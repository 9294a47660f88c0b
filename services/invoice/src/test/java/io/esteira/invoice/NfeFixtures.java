package io.esteira.invoice;

import io.esteira.invoice.brazil.BrazilianDocuments;

/**
 * NF-e XML (layout 4.00) files for tests, written in code. {@link #anNfe()} is consistent and valid; the other
 * factories each break one thing.
 */
public final class NfeFixtures {

	/** CNPJ of the issuer of {@link #anNfe()}: 11.222.333/0001-81. */
	public static final String ISSUER_CNPJ = "11222333000181";

	/** CPF of the recipient of {@link #anNfe()}: 529.982.247-25. */
	public static final String CUSTOMER_CPF = "52998224725";

	private NfeFixtures() {
	}

	/** An authorised NF-e ({@code nfeProc}) 1234, series 1, of 5 March 2026, two items, total 1500.00. */
	public static Nfe anNfe() {
		return new Nfe();
	}

	/** {@link #anNfe()} whose access key's last digit is wrong. */
	public static String anNfeWithBadCheckDigit() {
		Nfe nfe = anNfe();
		String key = nfe.accessKey();
		int wrong = (key.charAt(43) - '0' + 1) % 10;
		return nfe.withAccessKey(key.substring(0, 43) + wrong).xml();
	}

	/** {@link #anNfe()} whose {@code nNF} says 9999 while its (valid) access key says 1234. */
	public static String anNfeWhoseNumberDisagreesWithItsKey() {
		Nfe nfe = anNfe();
		return nfe.withAccessKey(nfe.accessKey()).withNumber("9999").xml();
	}

	/** An NF-e whose DOCTYPE declares an external entity and uses it as the customer's name. */
	public static String anNfeWithAnXxePayload() {
		return anNfe().xml()
			.replace("<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
					"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE nfeProc [<!ENTITY xxe SYSTEM "
							+ "\"file:///etc/passwd\">]>")
			.replace("<xNome>Oficina do Zé</xNome>", "<xNome>&xxe;</xNome>");
	}

	/** A builder of consistent NF-e files: the access key follows the fields unless one is forced. */
	public static final class Nfe {

		private String number = "1234";

		private String series = "1";

		private String issuer = ISSUER_CNPJ;

		private String dhEmi = "2026-03-05T10:00:00-03:00";

		private String cStat = "100";

		private String forcedKey;

		private boolean bare;

		private String model = "55";

		private boolean withoutRecipient;

		public Nfe withNumber(String number) {
			this.number = number;
			return this;
		}

		public Nfe withSeries(String series) {
			this.series = series;
			return this;
		}

		public Nfe withIssuer(String issuer) {
			this.issuer = issuer;
			return this;
		}

		public Nfe withAccessKey(String key) {
			this.forcedKey = key;
			return this;
		}

		/** An NFC-e (model 65, the consumer invoice) instead of an NF-e (model 55). */
		public Nfe consumerInvoice() {
			this.model = "65";
			return this;
		}

		/** Without {@code dest}: no recipient named (legal for an NFC-e only). */
		public Nfe withoutRecipient() {
			this.withoutRecipient = true;
			return this;
		}

		/** A bare {@code NFe}, without {@code nfeProc} and the authorisation protocol. */
		public Nfe bare() {
			this.bare = true;
			return this;
		}

		public String accessKey() {
			if (this.forcedKey != null) {
				return this.forcedKey;
			}
			String body = "35" + "2603" + pad(this.issuer, 14) + this.model + pad(this.series, 3) + pad(this.number, 9) + "1"
					+ "00000001";
			return body + BrazilianDocuments.mod11(body, 43);
		}

		public String xml() {
			String key = accessKey();
			String nfe = """
					<NFe xmlns="http://www.portalfiscal.inf.br/nfe">
					  <infNFe Id="NFe%s" versao="4.00">
					    <ide><cUF>35</cUF><cNF>00000001</cNF><natOp>Venda</natOp><mod>%s</mod><serie>%s</serie>
					      <nNF>%s</nNF><dhEmi>%s</dhEmi><tpNF>1</tpNF><tpEmis>1</tpEmis></ide>
					    <emit><CNPJ>%s</CNPJ><xNome>ACME Indústria Ltda</xNome></emit>
					    %s
					    <det nItem="1"><prod><cProd>1</cProd><xProd>Parafuso M6</xProd><qCom>1000.0000</qCom>
					      <vUnCom>0.5000000000</vUnCom><vProd>500.00</vProd></prod></det>
					    <det nItem="2"><prod><cProd>2</cProd><xProd>Porca &amp; arruela</xProd><qCom>2</qCom>
					      <vUnCom>500.00</vUnCom><vProd>1000.00</vProd></prod></det>
					    <total><ICMSTot><vProd>1500.00</vProd><vNF>1500.00</vNF></ICMSTot></total>
					    <cobr><dup><nDup>001</nDup><dVenc>2026-04-05</dVenc><vDup>1500.00</vDup></dup></cobr>
					  </infNFe>
					</NFe>
					""".formatted(key, this.model, this.series, this.number, this.dhEmi, this.issuer,
					this.withoutRecipient ? "" : "<dest><CPF>" + CUSTOMER_CPF + "</CPF><xNome>Oficina do Zé</xNome></dest>");
			if (this.bare) {
				return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + nfe;
			}
			return """
					<?xml version="1.0" encoding="UTF-8"?>
					<nfeProc xmlns="http://www.portalfiscal.inf.br/nfe" versao="4.00">
					%s<protNFe versao="4.00"><infProt><tpAmb>1</tpAmb><chNFe>%s</chNFe><cStat>%s</cStat>
					<xMotivo>Autorizado o uso da NF-e</xMotivo></infProt></protNFe>
					</nfeProc>
					""".formatted(nfe, key, this.cStat);
		}

		private static String pad(String value, int width) {
			return "0".repeat(width - value.length()) + value;
		}

	}

}
