package io.esteira.localstack;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Reading {@code /proc/<pid>/stat}. */
class ProcessCpuTest {

	@Test
	void fieldsAreCountedFromTheLastParenthesisSoTheNameMayHoldSpacesAndParentheses() {
		String line = "4242 (java (s3) :) x) S 1 4242 4242 0 -1 4194560 52911 0 3 0 1234 567 89 10 20 0 57 0 "
				+ "2870 4913000448 71012 18446744073709551615 1 1 0 0 0 0 0 4096 16796879 0 0 0 17 1 0 0 0 0 0";
		ProcessCpu.Stat stat = ProcessCpu.parse(line);
		assertThat(stat.pid()).isEqualTo(4242);
		assertThat(stat.comm()).isEqualTo("java (s3) :) x");
		assertThat(stat.state()).isEqualTo('S');
		assertThat(stat.utime()).isEqualTo(1234);
		assertThat(stat.stime()).isEqualTo(567);
		assertThat(stat.cutime()).isEqualTo(89);
		assertThat(stat.cstime()).isEqualTo(10);
		assertThat(stat.ticks()).isEqualTo(1234 + 567 + 89 + 10);
	}

	@Test
	void aLineWithoutItsNameOrFieldsIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> ProcessCpu.parse("4242 java S 1 2 3"));
		assertThatIllegalArgumentException().isThrownBy(() -> ProcessCpu.parse("4242 (java) S 1 2 3"));
	}

	@Test
	void thisJvmHasUsedSomeCpu() {
		assertThat(ProcessCpu.clockTicks()).isPositive();
		assertThat(ProcessCpu.millis(ProcessHandle.current().pid()).orElse(-1)).isPositive();
		assertThat(ProcessCpu.millis(Long.MAX_VALUE)).isEmpty();
	}

}
