package io.esteira.ingest.upload.registration;

import io.esteira.ingest.upload.Upload;
import io.esteira.ingest.upload.UploadRepository;
import io.esteira.ingest.upload.timeline.UploadTimeline;
import io.esteira.platform.aws.EsteiraAwsProperties;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The one way an upload comes to exist, whichever way it came in (multipart, presigned, found in the bucket): the
 * upload is saved {@code RECEIVED} in the uploads bucket's name, with its first step on the timeline, counted once the
 * transaction commits.
 */
@Service
public class UploadRegistration {

	private final UploadRepository uploads;

	private final UploadTimeline timeline;

	private final String bucket;

	UploadRegistration(UploadRepository uploads, UploadTimeline timeline, EsteiraAwsProperties aws) {
		this.uploads = uploads;
		this.timeline = timeline;
		this.bucket = aws.uploadsBucket();
	}

	/** Saves the upload and its first step, in the caller's transaction if there is one. */
	@Transactional
	public Upload register(NewUpload upload) {
		Upload saved = this.uploads.save(new Upload(upload.id(), upload.kind(), this.bucket, upload.key(),
				upload.filename(), upload.contentType(), upload.size(), upload.sha256(), upload.customer(),
				upload.callbackUrl(), upload.client(), upload.awaitingObject(), upload.createdAt(), upload.tenant(),
				upload.customerDocument()));
		this.timeline.registered(saved, upload.firstStep(), upload.reason());
		return saved;
	}

	/** The bucket every upload's object is in ({@code esteira.aws.uploads-bucket}). */
	public String bucket() {
		return this.bucket;
	}

}
