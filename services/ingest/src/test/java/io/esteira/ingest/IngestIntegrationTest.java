package io.esteira.ingest;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.esteira.testkit.EsteiraTest;

/**
 * {@link EsteiraTest} with the API keys the tests use ({@link IngestApi#WRITER_KEY}, {@link IngestApi#READER_KEY}).
 * Every class that uses it shares one application context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@EsteiraTest(properties = { "esteira.security.api-keys[0].name=writer",
		"esteira.security.api-keys[0].sha256=" + IngestApi.WRITER_KEY_SHA256,
		"esteira.security.api-keys[0].scopes=uploads:write,uploads:read",
		"esteira.security.api-keys[1].name=reader",
		"esteira.security.api-keys[1].sha256=" + IngestApi.READER_KEY_SHA256,
		"esteira.security.api-keys[1].scopes=uploads:read" })
public @interface IngestIntegrationTest {

}
