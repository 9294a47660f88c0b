package io.esteira.ingest.upload.erasure;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.esteira.contracts.event.StepOutcome;
import io.esteira.contracts.event.Tenants;
import io.esteira.contracts.event.UploadErasedEvent;
import io.esteira.ingest.config.IngestProperties;
import io.esteira.ingest.upload.CustomerDocuments;
import io.esteira.ingest.upload.CustomerPhones;
import io.esteira.ingest.upload.InvalidUploadException;
import io.esteira.ingest.upload.ObjectsDeletionRequested;
import io.esteira.ingest.upload.Upload;
import io.esteira.ingest.upload.UploadKind;
import io.esteira.ingest.upload.UploadNotFoundException;
import io.esteira.ingest.upload.UploadRepository;
import io.esteira.ingest.upload.timeline.UploadTimeline;
import io.esteira.platform.security.EsteiraPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Erases uploads at their customer's request (LGPD). An image upload: in one transaction its personal data is cleared
 * and it is marked erased ({@link Upload#erase}), the reasons of its steps are cleared and a step {@code ingest/erased}
 * goes on its timeline (which stays, as a tombstone), and the deletion of its original and renditions
 * ({@link ObjectsDeletionRequested}) and the message to CRM sync ({@link UploadErasedEvent}) go into the outbox; no S3,
 * SQS or HTTP call runs inside the transaction. An invoice
 * upload: only the customer's contact data is erased, the object and the invoices are kept (NF-e must be kept for 5
 * years). Erasing again changes nothing and answers the same report.
 */
@Service
class UploadErasure {

	/** The step that marks an erasure on the timeline. */
	static final String ERASED = "erased";

	private static final Logger logger = LoggerFactory.getLogger(UploadErasure.class);

	private final UploadRepository uploads;

	private final UploadTimeline timeline;

	private final ApplicationEventPublisher events;

	private final TransactionTemplate transaction;

	private final JdbcClient jdbc;

	private final IngestProperties.Erasure settings;

	private final Clock clock;

	UploadErasure(UploadRepository uploads, UploadTimeline timeline, ApplicationEventPublisher events,
			PlatformTransactionManager transactionManager, JdbcClient jdbc, IngestProperties properties,
			Clock clock) {
		this.uploads = uploads;
		this.timeline = timeline;
		this.events = events;
		this.transaction = new TransactionTemplate(transactionManager);
		this.jdbc = jdbc;
		this.settings = properties.erasure();
		this.clock = clock;
	}

	/**
	 * Erases one upload.
	 * @throws UploadNotFoundException if there is no such upload, or the caller may not see it (the same answer)
	 */
	ErasureReport erase(UUID id, EsteiraPrincipal caller) {
		return this.transaction.execute((status) -> {
			Upload upload = this.uploads.findForUpdate(id)
				.filter((found) -> found.isVisibleTo(caller))
				.orElseThrow(() -> new UploadNotFoundException(id));
			return (upload.kind() == UploadKind.IMAGE) ? eraseImage(upload) : eraseInvoiceContact(upload);
		});
	}

	private ErasureReport eraseImage(Upload upload) {
		if (!upload.isErased()) {
			Instant now = this.clock.instant();
			upload.erase(now);
			this.timeline.clearReasons(upload.id());
			this.timeline.recordOwnStep(upload.id(), ERASED, StepOutcome.SUCCEEDED,
					"erased at the customer's request (LGPD): personal data, original and renditions deleted");
			this.events.publishEvent(ObjectsDeletionRequested.everything(upload));
			this.events.publishEvent(UploadErasedEvent.of(upload.id(), upload.tenant(), now));
			logger.info("Upload {} (image, tenant {}) erased", upload.id(), upload.tenant());
		}
		return ErasureReport.image(upload.id());
	}

	private ErasureReport eraseInvoiceContact(Upload upload) {
		boolean hasContact = upload.customer().email() != null || upload.customer().phone() != null
				|| upload.customer().crmContactId() != null;
		if (hasContact) {
			upload.eraseContactData(this.clock.instant());
			this.timeline.recordOwnStep(upload.id(), ERASED, StepOutcome.SUCCEEDED,
					"contact data erased at the customer's request (LGPD); fiscal records kept (NF-e: 5 years)");
			logger.info("Upload {} (invoice, tenant {}): contact data erased, fiscal records kept", upload.id(),
					upload.tenant());
		}
		return ErasureReport.invoice(upload.id());
	}

	/** Which customer {@code DELETE /api/customers} names: exactly one of the three. */
	record CustomerMatch(String email, String phone, String document) {

		/** The SQL condition and its parameter. */
		Map.Entry<String, Object> condition() {
			int given = ((this.email != null) ? 1 : 0) + ((this.phone != null) ? 1 : 0)
					+ ((this.document != null) ? 1 : 0);
			if (given != 1) {
				throw new InvalidUploadException("Name the customer by exactly one of email, phone or document.");
			}
			if (this.email != null) {
				String email = this.email.strip();
				if (email.length() > 254 || !email.contains("@")) {
					throw new InvalidUploadException("email: not an e-mail address.");
				}
				return Map.entry("lower(customer_email) = lower(:match)", email);
			}
			if (this.phone != null) {
				String digits = CustomerPhones.digits(this.phone);
				if (digits.isEmpty() || this.phone.length() > 32) {
					throw new InvalidUploadException("phone: must have digits, at most 32 characters.");
				}
				return Map.entry(CustomerPhones.DIGITS_SQL + " = :match", digits);
			}
			return Map.entry("customer_document = :match", CustomerDocuments.normalize("document", this.document));
		}

	}

	/**
	 * Erases every upload of a customer in the caller's tenant (each as {@link #erase} does, in its own transaction):
	 * image uploads are erased, invoice uploads keep their fiscal records. At most
	 * {@code esteira.ingest.erasure.max-per-request} per call.
	 * @param tenant the tenant to erase in: an admin's choice; for any other caller its own tenant or nothing erased
	 * (another tenant's customers are not there for it); {@code null}: the caller's tenant
	 */
	CustomerErasureReport eraseCustomer(CustomerMatch match, String tenant, EsteiraPrincipal caller) {
		Map.Entry<String, Object> condition = match.condition();
		if (tenant != null && !Tenants.isValid(tenant)) {
			throw new InvalidUploadException("tenant: not a tenant id.");
		}
		String within = (tenant == null) ? caller.tenantId() : tenant;
		if (!caller.isAdmin() && !within.equals(caller.tenantId())) {
			return new CustomerErasureReport(0, List.of(), 0, List.of(), false, "Nothing erased: "
					+ "no upload of another tenant is within the caller's reach.");
		}
		Map<String, Object> params = new LinkedHashMap<>();
		StringBuilder sql = new StringBuilder("select id from uploads where tenant = :tenant and erased_at is null")
			.append(" and (kind = 'image' or customer_email is not null or customer_phone is not null")
			.append(" or crm_contact_id is not null) and ")
			.append(condition.getKey());
		params.put("tenant", within);
		params.put("match", condition.getValue());
		if (caller.isCustomerScoped()) {
			sql.append(" and customer_document = :customerDocument");
			params.put("customerDocument", caller.customerDocument());
		}
		int max = this.settings.maxPerRequest();
		sql.append(" order by created_at, id limit :limit");
		params.put("limit", max + 1);
		List<UUID> ids = this.jdbc.sql(sql.toString()).params(params).query(UUID.class).list();
		List<UUID> erased = new ArrayList<>();
		List<UUID> kept = new ArrayList<>();
		for (UUID id : ids.subList(0, Math.min(ids.size(), max))) {
			ErasureReport report = erase(id, caller);
			(("image".equals(report.kind())) ? erased : kept).add(id);
		}
		logger.info("Customer erasure in tenant {}: {} image uploads erased, {} invoice uploads kept{}",
				within, erased.size(), kept.size(), (ids.size() > max) ? ", more remain" : "");
		return new CustomerErasureReport(erased.size(), erased, kept.size(), kept, ids.size() > max,
				"Image uploads: " + ErasureReport.IMAGE_REASON + " Invoice uploads: " + ErasureReport.INVOICE_REASON);
	}

}
