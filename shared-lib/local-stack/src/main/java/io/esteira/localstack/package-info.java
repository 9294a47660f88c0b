/**
 * The local stack: the four services as child processes, wired to the test kit's stand-ins, and the demo that pushes
 * an image and an invoice file through the whole pipeline.
 */
package io.esteira.localstack;
