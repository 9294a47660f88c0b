package io.esteira.ingest.upload.erasure;

import java.util.List;
import java.util.UUID;

/**
 * The answer to {@code DELETE /api/customers}.
 *
 * @param erased the image uploads erased
 * @param kept the invoice uploads whose contact data was erased and whose fiscal records were kept
 * @param remaining whether more uploads of the customer are left (the request is bounded): ask again
 * @param reason what was done with each kind, in words
 */
public record CustomerErasureReport(int erasedCount, List<UUID> erased, int keptCount, List<UUID> kept,
		boolean remaining, String reason) {
}
