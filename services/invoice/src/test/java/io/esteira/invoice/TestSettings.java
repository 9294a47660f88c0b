package io.esteira.invoice;

import java.util.Map;

import io.esteira.invoice.config.InvoiceProperties;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * The service's settings for unit tests, bound as Spring binds them: every default from the records'
 * {@code @DefaultValue}s (written once, there), overridden by the given {@code esteira.invoices.*} keys.
 */
public final class TestSettings {

	private TestSettings() {
	}

	/** The defaults. */
	public static InvoiceProperties invoiceProperties() {
		return invoiceProperties(Map.of());
	}

	/** @param overrides keys below {@code esteira.invoices}, e.g. {@code limits.max-items} */
	public static InvoiceProperties invoiceProperties(Map<String, String> overrides) {
		MapConfigurationPropertySource source = new MapConfigurationPropertySource();
		overrides.forEach((key, value) -> source.put("esteira.invoices." + key, value));
		return new Binder(source).bindOrCreate("esteira.invoices", InvoiceProperties.class);
	}

}
