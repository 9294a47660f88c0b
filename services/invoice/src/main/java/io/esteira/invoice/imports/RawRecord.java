package io.esteira.invoice.imports;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One record as a format reader collected it: its values by field, the errors the reader already found (a nested
 * value, a field given twice, an inconsistent NF-e), and the items. {@link RecordValidator} turns it into a
 * {@link ParsedRecord}. It keeps its first {@value #MAX_ERRORS} errors and counts the rest, so that a record naming
 * one field a million times costs no more than one naming it twice.
 */
final class RawRecord {

	static final int MAX_ERRORS = 100;

	final int index;

	final Long line;

	final Map<InvoiceField, RawValue> values = new EnumMap<>(InvoiceField.class);

	/** Fields given in a form already reported: not "required" on top of that. */
	final Set<InvoiceField> reported = EnumSet.noneOf(InvoiceField.class);

	private final List<ImportError> errors = new ArrayList<>();

	/** Errors beyond {@link #MAX_ERRORS}: counted, not kept. */
	private long moreErrors;

	final List<ParsedRecord.Item> items = new ArrayList<>();

	String authorizationStatus;

	RawRecord(int index, Long line) {
		this.index = index;
		this.line = line;
	}

	/** Records the value, or an error when the field was already given or holds a NUL character. */
	void put(InvoiceField field, RawValue value) {
		RawValue previous = this.values.get(field);
		if (value.text() != null && value.text().indexOf('\u0000') >= 0) {
			// PostgreSQL text cannot hold it: rejected here, not failed on when stored.
			error(value, "must not contain NUL characters");
			this.reported.add(field);
		}
		else if (previous != null) {
			error(value, "is given more than once (also as '" + previous.name() + "')");
		}
		else {
			this.values.put(field, value);
		}
	}

	void error(RawValue value, String message) {
		add(ImportError.of(this.index, this.line, value.path(), value.name(), value.text(), message));
	}

	void error(String field, String value, String message) {
		add(ImportError.of(this.index, this.line, null, field, value, message));
	}

	private void add(ImportError error) {
		if (this.errors.size() < MAX_ERRORS) {
			this.errors.add(error);
		}
		else {
			this.moreErrors++;
		}
	}

	/** How many errors were found, kept or not. */
	long errorCount() {
		return this.errors.size() + this.moreErrors;
	}

	/** The errors kept, and one more saying how many were not, if any. */
	List<ImportError> errors() {
		if (this.moreErrors == 0) {
			return List.copyOf(this.errors);
		}
		List<ImportError> all = new ArrayList<>(this.errors);
		all.add(ImportError.of(this.index, this.line, null, null, null,
				this.moreErrors + " more errors in this record, not listed"));
		return List.copyOf(all);
	}

}
