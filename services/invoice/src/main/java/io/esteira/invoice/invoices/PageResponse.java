package io.esteira.invoice.invoices;

import java.util.List;

import org.springframework.data.domain.Page;

/**
 * One page of results.
 *
 * @param page 0-based page number
 * @param size the requested page size
 */
public record PageResponse<T>(List<T> content, int page, int size, long totalElements, int totalPages) {

	static <T> PageResponse<T> of(Page<T> page) {
		return new PageResponse<>(page.getContent(), page.getNumber(), page.getSize(), page.getTotalElements(),
				page.getTotalPages());
	}

}
