-- Identifiers compare byte by byte: series, numbers, documents and keys are codes, not words, so the natural-language
-- collation (strcoll on every index comparison) buys nothing and costs on every insert and lookup. The listing then
-- orders numbers by their bytes ("A-10" before "A-9"), the same in every database whatever its locale.
ALTER TABLE invoices
  ALTER COLUMN issuer_key TYPE TEXT COLLATE "C",
  ALTER COLUMN series TYPE TEXT COLLATE "C",
  ALTER COLUMN number TYPE TEXT COLLATE "C",
  ALTER COLUMN customer_document TYPE TEXT COLLATE "C",
  ALTER COLUMN access_key TYPE TEXT COLLATE "C";
