package io.esteira.invoice.config;

import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the invoice service ({@code esteira.invoices.*}).
 *
 * @param issuerKey the issuer of invoices that name none (no issuer document, no access key), part of the natural
 * key (issuer, series, number) (default {@code default})
 * @param batchSize how many parsed invoices are written per statement (default {@code 2000})
 * @param maxReportedErrors how many errors an import summary keeps in the database; the counts stay complete and the
 * error-report CSV has every error (default {@code 1000})
 * @param allOrNothing whether every feed is all-or-nothing: one rejected or conflicting record and no invoice of the
 * file is stored (default {@code false}: valid records are stored, the others reported)
 * @param allOrNothingPrefixes object-key prefixes of the feeds that are all-or-nothing even when
 * {@code all-or-nothing} is false, e.g. {@code invoices/erp/} (default none)
 * @param errorReportPrefix where in the output bucket the error reports go:
 * {@code <prefix>/{uploadId}/errors.csv} (default {@code reports/invoices})
 * @param largeFileBytes files larger than this get their message's visibility timeout raised before the import
 * (default 1 MiB)
 * @param largeFileVisibility the visibility timeout for large files: longer than their import takes, short enough
 * for a retry after a crash (default 15 minutes; at most 12 hours)
 * @param limits what one invoice file may hold ({@code esteira.invoices.limits.*}); a file beyond one is REJECTED
 * @param errorReport the bounds of the error report ({@code esteira.invoices.error-report.*})
 * @param paging the bounds of offset paging ({@code esteira.invoices.paging.*})
 */
@ConfigurationProperties("esteira.invoices")
@Validated
public record InvoiceProperties(@DefaultValue("default") @NotBlank String issuerKey,
		@DefaultValue("2000") @Min(1) int batchSize, @DefaultValue("1000") @Min(0) int maxReportedErrors,
		@DefaultValue("false") boolean allOrNothing, @DefaultValue @NotNull List<String> allOrNothingPrefixes,
		@DefaultValue("reports/invoices") @NotBlank String errorReportPrefix,
		@DefaultValue("1048576") @Min(0) long largeFileBytes,
		@DefaultValue("15m") @NotNull Duration largeFileVisibility, @DefaultValue @NotNull @Valid Limits limits,
		@DefaultValue @NotNull @Valid ErrorReportLimits errorReport, @DefaultValue @NotNull @Valid Paging paging) {

	/** Whether the feed the object belongs to is all-or-nothing. */
	public boolean isAllOrNothing(String objectKey) {
		return this.allOrNothing || this.allOrNothingPrefixes.stream().anyMatch(objectKey::startsWith);
	}

	/**
	 * Bounds on what one invoice file may hold ({@code esteira.invoices.limits.*}), so that a hostile or broken file
	 * costs bounded memory and time. A file beyond one is REJECTED as a whole (nothing of it is stored, nothing is
	 * retried) with the reason {@code limit_exceeded: <what> (esteira.invoices.limits.<name>)}. The defaults are far
	 * above real invoice files and the benchmarks' (a 1,000,000-row, 53.7 MB CSV; the fault suite's 200,000 rows).
	 *
	 * @param maxFileSize the largest file, checked from the object's size before it is read (an object can reach the
	 * bucket without ingest's checks) and again while it is read (default {@code 256MB})
	 * @param maxTextLength the longest value, in characters: an XML text node (CDATA included), an XML tag with its
	 * attributes, a comment or a processing instruction; a JSON string or field name; a CSV field (default
	 * {@code 65536})
	 * @param maxNumberLength the longest JSON number literal, in characters; amounts, quantities and prices written
	 * as text (CSV, XML, JSON strings) that are longer are record errors, never parsed (default {@code 100})
	 * @param maxDepth the deepest nesting of JSON arrays and objects, or of XML elements (default {@code 64})
	 * @param maxElements the most XML elements in one file (default {@code 5000000}; an NF-e with 990 items, the
	 * layout's maximum, has about 60,000)
	 * @param maxItems the most items one invoice may have: JSON {@code items}/{@code itens}, NF-e {@code det}
	 * (default {@code 10000}; the NF-e layout allows 990)
	 * @param maxRecords the most invoices one file may hold: array elements, NDJSON lines, CSV rows, NF-es
	 * (default {@code 5000000})
	 * @param maxRecordLength the longest CSV record, in characters, or NDJSON line, in bytes (default
	 * {@code 1048576}); a longer NDJSON line is rejected on its own, as any bad line, a longer CSV record rejects
	 * the file
	 */
	public record Limits(@DefaultValue("256MB") @NotNull DataSize maxFileSize,
			@DefaultValue("65536") @Min(1024) int maxTextLength, @DefaultValue("100") @Min(20) int maxNumberLength,
			@DefaultValue("64") @Min(8) int maxDepth, @DefaultValue("5000000") @Min(1) long maxElements,
			@DefaultValue("10000") @Min(1) int maxItems, @DefaultValue("5000000") @Min(1) long maxRecords,
			@DefaultValue("1048576") @Min(1024) int maxRecordLength) {

		/** The full name of one of these settings, for reasons and messages. */
		public static String key(String name) {
			return "esteira.invoices.limits." + name;
		}

	}

	/**
	 * Bounds on an import's error report ({@code reports/invoices/{uploadId}/errors.csv}), which is kept in memory
	 * while the import runs, never in a temporary file.
	 *
	 * @param maxErrors how many record errors the report lists; one line then says how many more there were (the
	 * errors of the file as a whole are always listed) (default {@code 10000})
	 * @param maxCellLength the longest cell, in characters; a longer one is cut and ends with {@code …} (default
	 * {@code 1000})
	 * @param maxSize the largest report: record errors that would make it larger are counted, not listed (default
	 * {@code 4MB})
	 */
	public record ErrorReportLimits(@DefaultValue("10000") @Min(0) int maxErrors,
			@DefaultValue("1000") @Min(16) int maxCellLength, @DefaultValue("4MB") @NotNull DataSize maxSize) {

		/** The full name of one of these settings, for messages. */
		public static String key(String name) {
			return "esteira.invoices.error-report." + name;
		}

	}

	/**
	 * Bounds on {@code GET /api/invoices} offset paging ({@code page}, {@code size}); cursor paging has none (a deep
	 * page costs what the first one does).
	 *
	 * @param maxOffsetRows the deepest offset page: {@code page * size} beyond it answers 400 pointing to cursor
	 * paging (default {@code 10000})
	 */
	public record Paging(@DefaultValue("10000") @Min(0) long maxOffsetRows) {

	}

}
