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
 * {@link ParsedRecord}.
 */
final class RawRecord {

	final int index;

	final Long line;

	final Map<InvoiceField, RawValue> values = new EnumMap<>(InvoiceField.class);

	/** Fields given in a form already reported: not "required" on top of that. */
	final Set<InvoiceField> reported = EnumSet.noneOf(InvoiceField.class);

	final List<ImportError> errors = new ArrayList<>();

	final List<ParsedRecord.Item> items = new ArrayList<>();

	String authorizationStatus;

	RawRecord(int index, Long line) {
		this.index = index;
		this.line = line;
	}

	/** Records the value, or an error when the field was already given. */
	void put(InvoiceField field, RawValue value) {
		RawValue previous = this.values.get(field);
		if (previous != null) {
			error(value, "is given more than once (also as '" + previous.name() + "')");
		}
		else {
			this.values.put(field, value);
		}
	}

	void error(RawValue value, String message) {
		this.errors.add(ImportError.of(this.index, this.line, value.path(), value.name(), value.text(), message));
	}

	void error(String field, String value, String message) {
		this.errors.add(ImportError.of(this.index, this.line, null, field, value, message));
	}

}
