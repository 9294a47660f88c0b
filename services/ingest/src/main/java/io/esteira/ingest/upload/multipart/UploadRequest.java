package io.esteira.ingest.upload.multipart;

import io.esteira.ingest.upload.Customer;
import io.esteira.ingest.upload.CustomerDocuments;
import io.esteira.ingest.upload.UploadKind;
import io.esteira.ingest.upload.registration.CallbackUrls;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.springframework.web.multipart.MultipartFile;

/**
 * The multipart form of {@code POST /api/uploads}; blank optional fields count as absent.
 *
 * @param kind {@code image} or {@code invoice}
 * @param crmContactId the CRM contact that gets the thumbnail link (letters, digits, {@code . _ : -})
 * @param externalRef the client's own reference, shown back and passed along
 * @param customerDocument the customer's CNPJ or CPF (punctuation allowed), for customer-scoped readers
 * @param callbackUrl where the final status is POSTed, signed (checked by {@link CallbackUrls})
 */
record UploadRequest(@NotNull(message = "a file part is required") MultipartFile file,
		@NotNull UploadKind kind,
		@Email @Size(max = 254) String customerEmail, @Size(max = 32) String customerPhone,
		@Size(max = 64) @Pattern(regexp = "[A-Za-z0-9._:-]*") String crmContactId,
		@Size(max = 200) String externalRef, @Size(max = CallbackUrls.MAX_LENGTH) String callbackUrl,
		@Size(max = CustomerDocuments.MAX_LENGTH) String customerDocument) {

	Customer customer() {
		return Customer.of(this.customerEmail, this.customerPhone, this.crmContactId, this.externalRef);
	}

}
