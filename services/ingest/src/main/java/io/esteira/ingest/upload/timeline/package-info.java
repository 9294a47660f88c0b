/**
 * The upload timeline: every step of an upload (its own, and those the other services report over the status
 * queue), the status it moves forward, and the metrics of both.
 * {@link io.esteira.ingest.upload.timeline.UploadTimeline} is the one way in, for the other modules too.
 */
@NamedInterface("timeline")
package io.esteira.ingest.upload.timeline;

import org.springframework.modulith.NamedInterface;
