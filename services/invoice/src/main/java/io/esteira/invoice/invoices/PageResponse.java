package io.esteira.invoice.invoices;

import java.util.List;

/**
 * One page of results.
 *
 * @param page 0-based page number
 * @param size the requested page size
 */
public record PageResponse<T>(List<T> content, int page, int size, long totalElements, int totalPages) {
}
