package io.esteira.invoice.imports;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import de.siegmar.fastcsv.writer.CsvWriter;
import io.esteira.invoice.config.InvoiceProperties.ErrorReportLimits;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The errors of one import, as CSV ({@code index,line,path,field,value,message}, UTF-8), written row by row into a
 * bounded buffer while the import runs (never a temporary file), then put into the output bucket.
 * <p>
 * Bounded ({@link ErrorReportLimits}): it lists the first {@code max-errors} record errors, as long as the report
 * stays under {@code max-size}; one line then says how many more there were and which limit left them out. The
 * errors of the file as a whole (why it was rejected) come last and are always listed. Each cell is cut to
 * {@code max-cell-length} characters and made safe to open in a spreadsheet (OWASP's CSV-injection rule: a cell
 * starting with {@code =}, {@code +}, {@code -}, {@code @}, tab or carriage return gets a leading {@code '}); cells
 * are quoted as CSV needs. Not thread-safe: one import, one thread.
 */
final class ErrorReport {

	static final String[] HEADER = { "index", "line", "path", "field", "value", "message" };

	/** The errors of the whole file kept: an import has one or two (unreadable, rejected). */
	private static final int MAX_FILE_ERRORS = 4;

	private static final String FORMULA_STARTS = "=+-@\t\r";

	private final ErrorReportLimits limits;

	/** Room for the truncation line, which is never cut: it is ours, and short. */
	private static final int TRUNCATION_LINE = 512;

	/** What the listed rows may take: {@code max-size} less room for the header, truncation and file lines. */
	private final long rowBudget;

	private final StringWriter row = new StringWriter();

	private final CsvWriter csv;

	private final ByteArrayOutputStream rows = new ByteArrayOutputStream();

	private final List<ImportError> fileErrors = new ArrayList<>();

	private long count;

	private long listed;

	private long unlisted;

	private boolean full;

	ErrorReport(ErrorReportLimits limits) {
		this.limits = limits;
		// Worst case per row: six cells of max-cell-length characters, every one a quote (doubled), 3 bytes each.
		long longestRow = 6L * (2L * limits.maxCellLength() + 4) * 3;
		this.rowBudget = limits.maxSize().toBytes() - (1L + MAX_FILE_ERRORS) * longestRow - TRUNCATION_LINE;
		this.csv = CsvWriter.builder().bufferSize(0).build(this.row);
	}

	void add(ImportError error) {
		this.count++;
		if (error.index() == null && this.fileErrors.size() < MAX_FILE_ERRORS) {
			this.fileErrors.add(error);
			return;
		}
		if (this.listed >= this.limits.maxErrors()) {
			this.unlisted++;
			return;
		}
		byte[] line = render(error);
		if (this.rows.size() + line.length > this.rowBudget) {
			this.full = true;
			this.unlisted++;
			return;
		}
		this.rows.writeBytes(line);
		this.listed++;
	}

	/** Every error added, listed or not. */
	long count() {
		return this.count;
	}

	/** Forgets the errors added so far (the file turned out unreadable: its record errors no longer count). */
	void reset() {
		this.rows.reset();
		this.fileErrors.clear();
		this.count = 0;
		this.listed = 0;
		this.unlisted = 0;
		this.full = false;
	}

	/** Puts the report at {@code bucket/key}; does nothing when there was no error. */
	boolean upload(S3Client s3, String bucket, String key) {
		if (this.count == 0) {
			return false;
		}
		byte[] report = bytes();
		s3.putObject((request) -> request.bucket(bucket).key(key).contentType("text/csv; charset=utf-8"),
				RequestBody.fromContentProvider(() -> new ByteArrayInputStream(report), report.length,
						"text/csv; charset=utf-8"));
		return true;
	}

	/** The report as it is uploaded: header, listed errors, the truncation line if any, the file's errors. */
	byte[] bytes() {
		ByteArrayOutputStream report = new ByteArrayOutputStream(this.rows.size() + 1024);
		report.writeBytes(line(HEADER, Integer.MAX_VALUE));
		report.writeBytes(this.rows.toByteArray());
		if (this.unlisted > 0) {
			report.writeBytes(line(new String[] { "", "", "", "", "", truncation() }, Integer.MAX_VALUE));
		}
		this.fileErrors.forEach((error) -> report.writeBytes(render(error)));
		return report.toByteArray();
	}

	private String truncation() {
		String which = this.full
				? "the report is kept under " + this.limits.maxSize().toBytes() + " bytes ("
						+ ErrorReportLimits.key("max-size") + ")"
				: "the report lists the first " + this.limits.maxErrors() + " ("
						+ ErrorReportLimits.key("max-errors") + ")";
		return "error report truncated: " + this.unlisted + " more errors not listed; " + which;
	}

	private byte[] render(ImportError error) {
		return line(new String[] { text(error.index()), text(error.line()), error.path(), error.field(),
				error.value(), error.message() }, this.limits.maxCellLength());
	}

	private byte[] line(String[] cells, int maxCellLength) {
		String[] safe = new String[cells.length];
		for (int i = 0; i < cells.length; i++) {
			safe[i] = cell(cells[i], maxCellLength);
		}
		this.row.getBuffer().setLength(0);
		this.csv.writeRecord(safe);
		return this.row.toString().getBytes(StandardCharsets.UTF_8);
	}

	/** The cell, cut to {@code maxLength} and unable to start a formula. */
	private static String cell(String text, int maxLength) {
		if (text == null || text.isEmpty()) {
			return "";
		}
		if (FORMULA_STARTS.indexOf(text.charAt(0)) < 0) {
			return ImportError.shorten(text, maxLength);
		}
		return "'" + ImportError.shorten(text, maxLength - 1);
	}

	private static String text(Object value) {
		return (value != null) ? value.toString() : "";
	}

}
