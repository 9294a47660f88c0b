package io.esteira.ingest.upload;

import io.esteira.platform.web.ProblemException;

import org.springframework.http.HttpStatus;

/** The caller may not make this upload (answered 403): {@code customer-scoped} or {@code crm-write-required}. */
public class UploadNotAllowedException extends ProblemException {

	/** The scope an upload naming a CRM contact needs. */
	public static final String CRM_WRITE_SCOPE = "crm:write";

	private UploadNotAllowedException(String kind, String title, String detail) {
		super(HttpStatus.FORBIDDEN, kind, title, detail);
	}

	/** A customer-scoped caller (restricted to one customer document) cannot upload. */
	public static UploadNotAllowedException customerScoped() {
		return new UploadNotAllowedException("customer-scoped", "Customer-scoped caller",
				"This key or token is restricted to one customer: it may read that customer's uploads, not upload.");
	}

	/** An image upload naming a CRM contact (crmContactId, customerEmail, customerPhone) needs {@code crm:write}. */
	public static UploadNotAllowedException crmWriteRequired() {
		return new UploadNotAllowedException("crm-write-required", "CRM write not allowed",
				"An image upload that names crmContactId, customerEmail or customerPhone writes to the CRM contact: "
						+ "it needs the scope " + CRM_WRITE_SCOPE + ".");
	}

}
