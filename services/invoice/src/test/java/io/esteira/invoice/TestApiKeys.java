package io.esteira.invoice;

/**
 * API keys the service accepts in tests ({@link InvoiceServiceTest} registers their hashes; {@code
 * InvoiceApiTest} checks the hashes match the keys).
 */
public final class TestApiKeys {

	/** Has {@code invoices:read}. */
	public static final String READER = "invoice-test-reader-key";

	public static final String READER_SHA256 = "6b90ef455a3ce93dea3ea4ea7d20714acb1efbda9db1a8aa0d9f0fe57461f1e5";

	/** Has only {@code uploads:write}: authenticated, but not allowed to read invoices. */
	public static final String UPLOADER = "invoice-test-uploader-key";

	public static final String UPLOADER_SHA256 = "3880224cc0d952d333433a001cb8fe2e13ac23dda440754ebda04a6f8354ad98";

	private TestApiKeys() {
	}

}
