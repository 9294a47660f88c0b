package io.esteira.invoice.invoices;

import java.util.List;

/**
 * One page of a keyset (cursor) listing: no totals, no offset, so a deep page costs what the first one does.
 *
 * @param size the requested page size
 * @param nextCursor pass as {@code cursor} for the next page; {@code null} on the last page
 */
public record CursorPage<T>(List<T> content, int size, String nextCursor) {

}
