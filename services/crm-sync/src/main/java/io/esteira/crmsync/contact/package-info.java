/**
 * Contact resolution: which CRM contact an upload belongs to — by the id it carried, else by email, else by its
 * phone number normalised to E.164 — and never a guess when none or several match.
 */
package io.esteira.crmsync.contact;
