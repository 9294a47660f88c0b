package io.esteira.crmsync.crm;

/**
 * A contact as the CRM knows it.
 *
 * @param id the CRM's id
 * @param ownerId the CRM user who owns the contact (HubSpot {@code hubspot_owner_id}), {@code null} when none
 */
public record CrmContact(String id, String ownerId) {
}
