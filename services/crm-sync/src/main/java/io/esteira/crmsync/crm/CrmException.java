package io.esteira.crmsync.crm;

/** A CRM request failed; the subtype says whether trying again can help. Messages never carry credentials. */
public abstract sealed class CrmException extends RuntimeException
		permits CrmRejectedException, CrmUnavailableException {

	protected CrmException(String message, Throwable cause) {
		super(message, cause);
	}

}
