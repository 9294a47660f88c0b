package io.esteira.crmsync.crm;

/**
 * How one item of a batch request ended: the CRM answers a batch with a result or an error per item (HubSpot's
 * {@code 207 Multi-Status}), so each upload's outcome is decided on its own.
 *
 * @param <T> what a done item yields (the CRM's id of what was created or updated)
 */
public sealed interface CrmOutcome<T> {

	/** This outcome with a done item's value mapped; a refusal or failure as it is. */
	default <U> CrmOutcome<U> map(java.util.function.Function<T, U> mapper) {
		return switch (this) {
			case Done<T> done -> new Done<>(mapper.apply(done.value()));
			case Refused<T> refused -> new Refused<>(refused.reason());
			case Unavailable<T> unavailable -> new Unavailable<>(unavailable.failure());
		};
	}

	/** The CRM did it. */
	record Done<T>(T value) implements CrmOutcome<T> {
	}

	/** The CRM refused this item for good (validation rule, unknown contact, invalid value): a person has to look. */
	record Refused<T>(String reason) implements CrmOutcome<T> {
	}

	/** The CRM could not do this item now: the same request may succeed later. */
	record Unavailable<T>(CrmUnavailableException failure) implements CrmOutcome<T> {
	}

}
