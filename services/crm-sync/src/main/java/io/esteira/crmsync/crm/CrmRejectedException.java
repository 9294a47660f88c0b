package io.esteira.crmsync.crm;

/**
 * The CRM refused the request for a reason that retrying will not fix (e.g. the contact does not exist). The message
 * is a short reason fit for a person reviewing the upload.
 */
public final class CrmRejectedException extends CrmException {

	public CrmRejectedException(String reason) {
		super(reason, null);
	}

}
