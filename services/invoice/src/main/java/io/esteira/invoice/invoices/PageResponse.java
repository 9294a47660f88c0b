package io.esteira.invoice.invoices;

import java.util.List;

/**
 * One page of results.
 *
 * @param page 0-based page number
 * @param size the requested page size
 * @param totalElements how many invoices match, when the request asked for it ({@code count=true}); {@code null}
 * otherwise (counting reads every matching row)
 * @param totalPages how many pages of {@code size} they make, when counted; {@code null} otherwise
 */
public record PageResponse<T>(List<T> content, int page, int size, Long totalElements, Integer totalPages) {
}
