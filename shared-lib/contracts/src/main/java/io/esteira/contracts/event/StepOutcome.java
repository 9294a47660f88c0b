package io.esteira.contracts.event;

/** How one step of the pipeline ended (or that it started). */
public enum StepOutcome {

	STARTED, SUCCEEDED, SKIPPED, NEEDS_REVIEW, REJECTED, FAILED

}
