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

	/** The two tenants of the tenant tests. */
	public static final String TENANT_A = "tenant-a";

	public static final String TENANT_B = "tenant-b";

	/** Has {@code invoices:read} in {@link #TENANT_A}. */
	public static final String TENANT_A_READER = "invoice-test-tenant-a-key";

	public static final String TENANT_A_READER_SHA256 = "92bb09d0c61daa75ecbce370cc48b4af9c63cb00300c06afe7be399b83976803";

	/** Has {@code invoices:read} in {@link #TENANT_B}. */
	public static final String TENANT_B_READER = "invoice-test-tenant-b-key";

	public static final String TENANT_B_READER_SHA256 = "febc759093e0236eb6cf6a80529d305595f5c6d9cd0c82821a087711aed8711a";

	/** Has {@code invoices:read} and {@code admin}: every tenant. */
	public static final String ADMIN = "invoice-test-admin-key";

	public static final String ADMIN_SHA256 = "abfc989e145ebceb3fd3cc98b78b4d14b091fba24ef4eef18a388861400a2a74";

	/** The customer document of {@link #CUSTOMER_READER}, punctuated as configured (CPF 529.982.247-25). */
	public static final String CUSTOMER_DOCUMENT = "529.982.247-25";

	/** Has {@code invoices:read} in {@link #TENANT_A}, restricted to the customer {@link #CUSTOMER_DOCUMENT}. */
	public static final String CUSTOMER_READER = "invoice-test-customer-key";

	public static final String CUSTOMER_READER_SHA256 = "0334105833ac9b76f08e72450b7451bb376a5ec68a1382421b57d3a62c54f3cc";

	private TestApiKeys() {
	}

}
