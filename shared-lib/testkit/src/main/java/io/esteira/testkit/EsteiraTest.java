package io.esteira.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.annotation.AliasFor;
import org.springframework.test.context.ContextConfiguration;

/**
 * A {@code @SpringBootTest} on a random port, wired to the JVM's {@link EsteiraInfrastructure}: a real PostgreSQL,
 * ElasticMQ, S3Proxy and WireMock for HubSpot. The infrastructure starts once per JVM; contexts are cached as usual.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = EsteiraTestInitializer.class)
public @interface EsteiraTest {

	/** Extra properties, as {@code key=value}; they win over the infrastructure's. */
	@AliasFor(annotation = SpringBootTest.class, attribute = "properties")
	String[] properties() default {};

}
