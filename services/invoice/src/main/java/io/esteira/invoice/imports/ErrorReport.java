package io.esteira.invoice.imports;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import de.siegmar.fastcsv.writer.CsvWriter;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Every error of one import, as CSV ({@code index,line,path,field,value,message}, UTF-8), spooled to a temporary file
 * while the import runs so memory stays flat however many records fail, then put into the output bucket. Not
 * thread-safe; close it to delete the temporary file.
 */
final class ErrorReport implements AutoCloseable {

	static final String[] HEADER = { "index", "line", "path", "field", "value", "message" };

	private Path file;

	private CsvWriter csv;

	private long count;

	void add(ImportError error) {
		try {
			if (this.csv == null) {
				this.file = Files.createTempFile("invoice-errors-", ".csv");
				this.csv = CsvWriter.builder().build(this.file, StandardCharsets.UTF_8);
				this.csv.writeRecord(HEADER);
			}
			this.csv.writeRecord(text(error.index()), text(error.line()), error.path(), error.field(), error.value(),
					error.message());
			this.count++;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not spool the error report", ex);
		}
	}

	long count() {
		return this.count;
	}

	/** Forgets the errors written so far (the file turned out unreadable: its record errors no longer count). */
	void reset() {
		close();
		this.count = 0;
	}

	/** Puts the report at {@code bucket/key}; does nothing when there was no error. */
	boolean upload(S3Client s3, String bucket, String key) {
		if (this.csv == null) {
			return false;
		}
		try {
			this.csv.close();
			s3.putObject((request) -> request.bucket(bucket).key(key).contentType("text/csv; charset=utf-8"),
					RequestBody.fromFile(this.file));
			return true;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not write the error report", ex);
		}
	}

	@Override
	public void close() {
		try {
			if (this.csv != null) {
				this.csv.close();
			}
			if (this.file != null) {
				Files.deleteIfExists(this.file);
			}
		}
		catch (IOException ex) {
			// A temporary file left behind is not worth failing the import for.
		}
		this.csv = null;
		this.file = null;
	}

	private static String text(Object value) {
		return (value != null) ? value.toString() : "";
	}

}
