package io.esteira.ingest.upload.registration;

import io.esteira.ingest.upload.Customer;
import io.esteira.ingest.upload.UploadKind;
import io.esteira.ingest.upload.UploadNotAllowedException;
import io.esteira.platform.security.EsteiraPrincipal;

/**
 * What a caller may upload, beyond the {@code uploads:write} scope the security chain checks: a customer-scoped
 * caller nothing, and an image upload that names a CRM contact (its link, task and note go to that contact) only with
 * {@value UploadNotAllowedException#CRM_WRITE_SCOPE}.
 */
public final class UploadPermissions {

	private UploadPermissions() {
	}

	/**
	 * @throws UploadNotAllowedException {@code customer-scoped} or {@code crm-write-required}
	 */
	public static void requireMayUpload(EsteiraPrincipal caller, UploadKind kind, Customer customer) {
		if (caller.isCustomerScoped()) {
			throw UploadNotAllowedException.customerScoped();
		}
		boolean namesContact = customer.crmContactId() != null || customer.email() != null
				|| customer.phone() != null;
		if (kind == UploadKind.IMAGE && namesContact
				&& !caller.hasScope(UploadNotAllowedException.CRM_WRITE_SCOPE)) {
			throw UploadNotAllowedException.crmWriteRequired();
		}
	}

}
