package io.esteira.invoice.imports;

import java.util.ArrayList;
import java.util.List;

import io.esteira.contracts.event.UploadStatus;

/**
 * Counts of one import as it runs, and its first errors (up to a limit; the counts stay complete). Not thread-safe:
 * one import, one thread.
 */
final class ImportTally {

	private final int maxErrors;

	private final List<ImportError> errors = new ArrayList<>();

	private int accepted;

	private int duplicates;

	private int conflicts;

	private int rejected;

	private final ErrorReport report;

	/** @param report receives every error, beyond {@code maxErrors} too */
	ImportTally(int maxErrors, ErrorReport report) {
		this.maxErrors = maxErrors;
		this.report = report;
	}

	void countAccepted() {
		this.accepted++;
	}

	void countDuplicate() {
		this.duplicates++;
	}

	void countConflict(ParsedRecord.Valid invoice) {
		this.conflicts++;
		String key = (invoice.accessKey() != null) ? "access key " + invoice.accessKey()
				: "series " + invoice.series() + " number " + invoice.number();
		addError(ImportError.of(invoice.index(), invoice.line(), null, "number", invoice.number(),
				"conflict: " + key + " is already stored with other content (customer, document, amount, currency"
						+ " or dates); the stored invoice is kept"));
	}

	void countRejected(List<ImportError> recordErrors) {
		this.rejected++;
		recordErrors.forEach(this::addError);
	}

	/** Forgets everything counted so far: the file turned out unreadable and its rows were rolled back. */
	void unreadable(String detail) {
		this.accepted = 0;
		this.duplicates = 0;
		this.conflicts = 0;
		this.rejected = 0;
		this.errors.clear();
		this.report.reset();
		addError(ImportError.of(null, null, null, detail));
	}

	/**
	 * The whole file is rejected for {@code reason}: one error for the file itself, after those of its records, so
	 * the error report says why nothing was kept even when no record had an error (a file without any record).
	 */
	void fileRejected(String reason) {
		addError(ImportError.of(null, null, null, "file rejected: " + reason));
	}

	/** All-or-nothing: the stored rows were rolled back, so nothing counts as accepted. */
	void rolledBack() {
		this.accepted = 0;
	}

	private void addError(ImportError error) {
		this.report.add(error);
		if (this.errors.size() < this.maxErrors) {
			this.errors.add(error);
		}
	}

	/** Whether at least one record was valid (stored now, or already stored before). */
	boolean hasValidInvoices() {
		return this.accepted + this.duplicates + this.conflicts > 0;
	}

	/** COMPLETED when every record is stored (now or before), COMPLETED_WITH_ERRORS otherwise. */
	UploadStatus completedStatus() {
		return (this.conflicts + this.rejected == 0) ? UploadStatus.COMPLETED : UploadStatus.COMPLETED_WITH_ERRORS;
	}

	/** E.g. {@code 3 accepted, 0 duplicates} or {@code 2 accepted, 0 duplicates, 1 conflicts, 4 rejected}. */
	String summary() {
		String summary = this.accepted + " accepted, " + this.duplicates + " duplicates";
		return (this.conflicts + this.rejected == 0) ? summary
				: summary + ", " + this.conflicts + " conflicts, " + this.rejected + " rejected";
	}

	int accepted() {
		return this.accepted;
	}

	int duplicates() {
		return this.duplicates;
	}

	int conflicts() {
		return this.conflicts;
	}

	int rejected() {
		return this.rejected;
	}

	long totalErrors() {
		return this.report.count();
	}

	List<ImportError> errors() {
		return List.copyOf(this.errors);
	}

}
