package io.esteira.invoice.config;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the invoice service ({@code esteira.invoices.*}).
 *
 * @param issuerKey the issuer every imported invoice is stored under, part of the uniqueness key (issuer, series,
 * number); one issuer for now, until invoices carry the issuer's CNPJ (default {@code default})
 * @param batchSize how many parsed invoices are written per statement (default {@code 500})
 * @param maxReportedErrors how many errors an import summary keeps; the counts stay complete (default {@code 1000})
 */
@ConfigurationProperties("esteira.invoices")
@Validated
public record InvoiceProperties(@DefaultValue("default") @NotBlank String issuerKey,
		@DefaultValue("500") @Min(1) int batchSize, @DefaultValue("1000") @Min(0) int maxReportedErrors) {

}
