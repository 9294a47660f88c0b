/**
 * Load test of the HubSpot client's rate limit against WireMock in a separate process that enforces HubSpot's
 * rolling-window limit.
 */
package io.esteira.crmsync.load;
