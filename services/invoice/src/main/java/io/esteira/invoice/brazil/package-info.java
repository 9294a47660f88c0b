/**
 * Brazilian fiscal identifiers: CNPJ (numeric and alphanumeric), CPF and the NF-e access key, with their check digits.
 */
package io.esteira.invoice.brazil;
