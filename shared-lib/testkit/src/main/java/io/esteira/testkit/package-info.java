/**
 * The test kit: real infrastructure for tests and for the local stack, without Docker. PostgreSQL (external,
 * Testcontainers or embedded), ElasticMQ inside the JVM, S3Proxy as a child process, WireMock standing in for
 * HubSpot, and an S3 event bridge that turns bucket writes into AWS-format notifications. {@link
 * io.esteira.testkit.EsteiraTest} wires all of it into a {@code @SpringBootTest}.
 */
package io.esteira.testkit;
