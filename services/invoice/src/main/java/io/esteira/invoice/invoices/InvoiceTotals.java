package io.esteira.invoice.invoices;

import java.math.BigDecimal;

/**
 * One group of {@code GET /api/invoices/summary}.
 *
 * @param key the customer's name, or the issue month as {@code yyyy-MM}
 * @param total the sum of the amounts (currencies are not converted)
 */
public record InvoiceTotals(String key, long count, BigDecimal total) {

}
