package io.esteira.ingest.upload.direct;

import io.esteira.ingest.upload.Customer;
import io.esteira.ingest.upload.CustomerDocuments;
import io.esteira.ingest.upload.UploadKind;
import io.esteira.ingest.upload.registration.CallbackUrls;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/**
 * The JSON body of {@code POST /api/uploads/presign}: what the client is going to PUT. The presigned URL is bound to
 * {@code contentType} and {@code sizeBytes}, so the object S3 accepts is the one declared here.
 *
 * @param kind {@code image} or {@code invoice}
 * @param contentType the type of the file (must be accepted for the kind)
 * @param sizeBytes the exact size of the file
 * @param filename the client's name for it, for display only
 * @param callbackUrl where the final status is POSTed, signed (checked by {@link CallbackUrls})
 * @param customerDocument the customer's CNPJ or CPF (punctuation allowed), for customer-scoped readers
 */
record PresignRequest(@NotNull UploadKind kind,
		@NotBlank @Size(max = 127) String contentType, @NotNull @Positive Long sizeBytes,
		@Size(max = 255) String filename, @Email @Size(max = 254) String customerEmail,
		@Size(max = 32) String customerPhone, @Size(max = 64) @Pattern(regexp = "[A-Za-z0-9._:-]*") String crmContactId,
		@Size(max = 200) String externalRef, @Size(max = CallbackUrls.MAX_LENGTH) String callbackUrl,
		@Size(max = CustomerDocuments.MAX_LENGTH) String customerDocument) {

	Customer customer() {
		return Customer.of(this.customerEmail, this.customerPhone, this.crmContactId, this.externalRef);
	}

}
