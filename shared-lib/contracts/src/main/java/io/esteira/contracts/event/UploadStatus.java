package io.esteira.contracts.event;

/**
 * The status of an upload as a whole. Statuses only move forward: a late or duplicate event never turns a terminal
 * status back into {@link #PROCESSING}.
 */
public enum UploadStatus {

	RECEIVED(0), PROCESSING(1), NEEDS_REVIEW(2), COMPLETED(3), COMPLETED_WITH_ERRORS(3), REJECTED(3), FAILED(3);

	private final int rank;

	UploadStatus(int rank) {
		this.rank = rank;
	}

	public boolean isTerminal() {
		return this.rank == 3;
	}

	/** Whether moving from this status to {@code next} goes forward (terminal statuses are final). */
	public boolean canMoveTo(UploadStatus next) {
		return !isTerminal() && next.rank > this.rank;
	}

}
