/**
 * CRM sync: consumes "image processed" events and writes the thumbnail's permalink on the uploader's CRM contact.
 */
package io.esteira.crmsync;
