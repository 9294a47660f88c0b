package io.esteira.invoice;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Hostile invoice files for tests, written in code. The large ones are {@link Generated}: produced as they are read,
 * never held in memory, so a test can send 200 MB without a 200 MB array.
 */
public final class HostileFiles {

	private HostileFiles() {
	}

	/** {@link NfeFixtures#anNfe()} whose {@code natOp} text node is {@code characters} letters long. */
	public static Generated anNfeWithATextNodeOf(long characters) {
		String nfe = NfeFixtures.anNfe().xml();
		int cut = nfe.indexOf("Venda</natOp>");
		return new Generated(nfe.substring(0, cut), "a", characters, nfe.substring(cut + "Venda".length()));
	}

	/** One JSON invoice with {@code items} items ({@code {"total":1}} each). */
	public static Generated aJsonInvoiceWithItems(long items) {
		return new Generated("{\"number\": \"F-1\", \"customer\": \"ACME Ltda\", \"amount\": 1, "
				+ "\"date\": \"2026-03-01\", \"items\": [", "{\"total\":1},", items - 1, "{\"total\":1}]}\n");
	}

	/** A comma CSV with a header and {@code rows} rows of empty fields ({@code ,,,}): four errors each. */
	public static Generated aCsvOfBlankRows(long rows) {
		return new Generated("number,customer,amount,date\n", ",,,\n", rows, "");
	}

	/**
	 * A file made of {@code prefix}, {@code unit} {@code times} times, and {@code suffix} (UTF-8), generated as it is
	 * read.
	 */
	public record Generated(String prefix, String unit, long times, String suffix) {

		public long length() {
			return bytes(this.prefix).length + bytes(this.unit).length * this.times + bytes(this.suffix).length;
		}

		/** A new stream of the file; each call starts again. */
		public InputStream open() {
			return new Stream(bytes(this.prefix), bytes(this.unit), this.times, bytes(this.suffix));
		}

		private static byte[] bytes(String text) {
			return text.getBytes(StandardCharsets.UTF_8);
		}

	}

	private static final class Stream extends InputStream {

		private final byte[] prefix;

		private final byte[] unit;

		private final byte[] suffix;

		private final long length;

		private long position;

		Stream(byte[] prefix, byte[] unit, long times, byte[] suffix) {
			this.prefix = prefix;
			this.unit = unit;
			this.suffix = suffix;
			this.length = prefix.length + unit.length * times + suffix.length;
		}

		@Override
		public int read() {
			if (this.position >= this.length) {
				return -1;
			}
			return byteAt(this.position++) & 0xff;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) {
			if (this.position >= this.length) {
				return -1;
			}
			int n = (int) Math.min(length, this.length - this.position);
			long bodyEnd = this.length - this.suffix.length;
			int done = 0;
			while (done < n) {
				long at = this.position + done;
				int run;
				if (at >= this.prefix.length && at < bodyEnd && this.unit.length == 1) {
					// The common case, 200 MB of one letter: filled, not copied byte by byte.
					run = (int) Math.min(n - done, bodyEnd - at);
					Arrays.fill(buffer, offset + done, offset + done + run, this.unit[0]);
				}
				else {
					run = 1;
					buffer[offset + done] = byteAt(at);
				}
				done += run;
			}
			this.position += n;
			return n;
		}

		@Override
		public int available() {
			return (int) Math.min(Integer.MAX_VALUE, this.length - this.position);
		}

		private byte byteAt(long at) {
			if (at < this.prefix.length) {
				return this.prefix[(int) at];
			}
			long inBody = at - this.prefix.length;
			long body = this.length - this.prefix.length - this.suffix.length;
			if (inBody < body) {
				return this.unit[(int) (inBody % this.unit.length)];
			}
			return this.suffix[(int) (inBody - body)];
		}

	}

}
