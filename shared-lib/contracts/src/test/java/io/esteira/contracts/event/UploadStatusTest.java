package io.esteira.contracts.event;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UploadStatusTest {

	@Test
	void statusesOnlyMoveForward() {
		assertThat(UploadStatus.RECEIVED.canMoveTo(UploadStatus.PROCESSING)).isTrue();
		assertThat(UploadStatus.PROCESSING.canMoveTo(UploadStatus.COMPLETED)).isTrue();
		assertThat(UploadStatus.PROCESSING.canMoveTo(UploadStatus.RECEIVED)).isFalse();
		assertThat(UploadStatus.PROCESSING.canMoveTo(UploadStatus.PROCESSING)).isFalse();
	}

	@Test
	void terminalStatusesAreFinal() {
		for (UploadStatus terminal : UploadStatus.values()) {
			if (terminal.isTerminal()) {
				for (UploadStatus next : UploadStatus.values()) {
					assertThat(terminal.canMoveTo(next)).as("%s -> %s", terminal, next).isFalse();
				}
			}
		}
	}

}
