package io.esteira.invoice.config;

import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
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
 */
@ConfigurationProperties("esteira.invoices")
@Validated
public record InvoiceProperties(@DefaultValue("default") @NotBlank String issuerKey,
		@DefaultValue("2000") @Min(1) int batchSize, @DefaultValue("1000") @Min(0) int maxReportedErrors,
		@DefaultValue("false") boolean allOrNothing, @DefaultValue @NotNull List<String> allOrNothingPrefixes,
		@DefaultValue("reports/invoices") @NotBlank String errorReportPrefix,
		@DefaultValue("1048576") @Min(0) long largeFileBytes,
		@DefaultValue("15m") @NotNull Duration largeFileVisibility) {

	/** Whether the feed the object belongs to is all-or-nothing. */
	public boolean isAllOrNothing(String objectKey) {
		return this.allOrNothing || this.allOrNothingPrefixes.stream().anyMatch(objectKey::startsWith);
	}

}
