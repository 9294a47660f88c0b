package io.esteira.invoice.imports;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Bounds XML markup before the JDK's StAX parser sees it. The parser hands text nodes over in chunks, but gathers a
 * tag (with its attribute values), a comment, a CDATA section or a processing instruction whole before reporting
 * it: one of 200 MB would exhaust the heap. Here each of them longer than {@code maxLength} bytes throws
 * {@link InputLimitExceededException}, and a declaration ({@code <!DOCTYPE}, the start of a DTD, which the reader
 * refuses anyway) throws {@link UnsupportedFormatException} at once, so an internal subset is never read.
 * <p>
 * Reads bytes: it sees markup in every encoding where {@code <}, {@code >}, quotes, {@code !}, {@code -}, {@code ?}
 * and {@code ]} are single ASCII bytes (UTF-8, ISO-8859-1, Windows-1252; format detection refuses UTF-16 as
 * binary).
 */
final class XmlMarkupGuard extends FilterInputStream {

	private static final byte[] COMMENT_START = "<!--".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] CDATA_START = "<![CDATA[".getBytes(StandardCharsets.US_ASCII);

	private enum State {

		TEXT, OPENING, TAG, COMMENT, CDATA, PROCESSING_INSTRUCTION

	}

	private final int maxLength;

	private State state = State.TEXT;

	/** Bytes of the current markup so far, its {@code <} included. */
	private long length;

	/** While opening: the start this markup may turn out to be ({@code <!--} or {@code <![CDATA[}). */
	private byte[] start;

	/** In a tag: the quote of the attribute value being read, or 0. */
	private int quote;

	/** The last two bytes of a comment, CDATA section or processing instruction, to find its end. */
	private int last;

	private int secondLast;

	XmlMarkupGuard(InputStream in, int maxLength) {
		super(in);
		this.maxLength = maxLength;
	}

	@Override
	public int read() throws IOException {
		int b = super.read();
		if (b >= 0) {
			see(b);
		}
		return b;
	}

	@Override
	public int read(byte[] buffer, int offset, int length) throws IOException {
		int read = super.read(buffer, offset, length);
		for (int i = offset; i < offset + read; i++) {
			see(buffer[i] & 0xff);
		}
		return read;
	}

	@Override
	public long skip(long n) throws IOException {
		// Every byte must be seen: skipping reads.
		return Math.max(0, read(new byte[(int) Math.min(Math.max(n, 0), 8192)]));
	}

	@Override
	public boolean markSupported() {
		return false;
	}

	private void see(int b) {
		switch (this.state) {
			case TEXT -> {
				if (b == '<') {
					this.state = State.OPENING;
					this.length = 1;
					this.start = null;
				}
			}
			case OPENING -> opening(b);
			case TAG -> tag(b);
			case COMMENT -> content(b, '-', '-', "comment");
			case CDATA -> content(b, ']', ']', "CDATA section");
			case PROCESSING_INSTRUCTION -> content(b, -1, '?', "processing instruction");
		}
	}

	/** The bytes after {@code <} that tell what the markup is. */
	private void opening(int b) {
		int position = (int) this.length;
		if (position == 1 && b == '?') {
			enter(State.PROCESSING_INSTRUCTION);
		}
		else if (position == 1 && b == '!') {
			this.length++;
		}
		else if (position == 1) {
			// <NFe, </NFe: a tag, of which this byte is the first.
			this.state = State.TAG;
			this.quote = 0;
			tag(b);
		}
		else if (position == 2) {
			this.start = (b == '-') ? COMMENT_START : (b == '[') ? CDATA_START : null;
			if (this.start == null) {
				throw new UnsupportedFormatException("XML with a DTD (DOCTYPE) is not accepted");
			}
			this.length++;
		}
		else if (this.start[position] != b) {
			throw new UnsupportedFormatException("Not valid NF-e XML: malformed markup starting '"
					+ new String(this.start, 0, position, StandardCharsets.US_ASCII) + "'");
		}
		else if (position == this.start.length - 1) {
			enter((this.start == COMMENT_START) ? State.COMMENT : State.CDATA);
		}
		else {
			this.length++;
		}
	}

	/** A comment, CDATA section or processing instruction starts; its end is looked for from here. */
	private void enter(State state) {
		this.state = state;
		this.length++;
		this.last = 0;
		this.secondLast = 0;
	}

	private void tag(int b) {
		count("tag");
		if (this.quote != 0) {
			if (b == this.quote) {
				this.quote = 0;
			}
		}
		else if (b == '"' || b == '\'') {
			this.quote = b;
		}
		else if (b == '>') {
			this.state = State.TEXT;
		}
	}

	/** A byte of a comment (ended by {@code -->}), CDATA section ({@code ]]>}) or processing instruction ({@code ?>}). */
	private void content(int b, int secondLast, int last, String what) {
		count(what);
		if (b == '>' && this.last == last && (secondLast < 0 || this.secondLast == secondLast)) {
			this.state = State.TEXT;
		}
		this.secondLast = this.last;
		this.last = b;
	}

	private void count(String what) {
		if (++this.length > this.maxLength) {
			throw InputLimitExceededException.textLength("XML " + what, this.maxLength);
		}
	}

}
