package io.esteira.crmsync.crm;

import java.util.function.Supplier;

/**
 * The key a CRM client sends, read before each request: a configured value, or a secret reference's value
 * ({@link SecretReferences#key}), which may throw {@link CrmUnavailableException} when it cannot be read now.
 */
@FunctionalInterface
public interface CrmKey extends Supplier<String> {

	/**
	 * The CRM refused the key last read (401): a cached value is read again at the next request, so a key rotated in
	 * the vault is taken up at once instead of after the cache time.
	 */
	default void refused() {
	}

}
