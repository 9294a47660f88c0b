-- The listing's full order (issue date newest first, then number, series, id), so keyset pages are index range scans.
DROP INDEX invoices_issue_date_number_idx;
CREATE INDEX invoices_listing_idx ON invoices (issue_date DESC, number, series, id);
