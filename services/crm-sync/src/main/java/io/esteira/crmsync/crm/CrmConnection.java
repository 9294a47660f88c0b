package io.esteira.crmsync.crm;

/**
 * One tenant's CRM: its client (own key, base URL, rate limit and pauses) and what goes with it.
 *
 * @param tenant the tenant it serves
 * @param client the CRM client; every request it sends passes the connection's own gate
 * @param portalId the CRM account (HubSpot portal) it writes to, {@code null} when not said
 * @param defaultOwnerId who gets the task for a contact without owner, {@code null}: no task then
 */
public record CrmConnection(String tenant, CrmClient client, String portalId, String defaultOwnerId) {

	/** The contact's owner, else the connection's default owner ({@code null} when neither). */
	public String ownerOr(String contactOwner) {
		return (contactOwner != null) ? contactOwner : this.defaultOwnerId;
	}

}
