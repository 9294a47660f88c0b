package io.esteira.invoice.imports;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The counter {@code esteira.invoice.rows} (Prometheus {@code esteira_invoice_rows_total}) tagged
 * {@code outcome=accepted|duplicate|conflict|rejected}: the records of each import, counted once its transaction
 * committed (a rolled-back import, or an all-or-nothing feed's rolled-back rows, count nothing as accepted).
 */
@Component
class ImportMetrics {

	static final String ROWS = "esteira.invoice.rows";

	private final Counter accepted;

	private final Counter duplicate;

	private final Counter conflict;

	private final Counter rejected;

	ImportMetrics(MeterRegistry registry) {
		this.accepted = counter(registry, "accepted");
		this.duplicate = counter(registry, "duplicate");
		this.conflict = counter(registry, "conflict");
		this.rejected = counter(registry, "rejected");
	}

	/** Adds the import's counts when the current transaction commits (at once without a transaction). */
	void countAfterCommit(ImportTally tally) {
		int accepted = tally.accepted();
		int duplicates = tally.duplicates();
		int conflicts = tally.conflicts();
		int rejected = tally.rejected();
		Runnable count = () -> {
			this.accepted.increment(accepted);
			this.duplicate.increment(duplicates);
			this.conflict.increment(conflicts);
			this.rejected.increment(rejected);
		};
		if (!TransactionSynchronizationManager.isSynchronizationActive()) {
			count.run();
			return;
		}
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

			@Override
			public void afterCommit() {
				count.run();
			}

		});
	}

	private static Counter counter(MeterRegistry registry, String outcome) {
		return Counter.builder(ROWS)
			.description("Invoice records imported, by outcome, counted after their import committed")
			.tag("outcome", outcome)
			.register(registry);
	}

}
