package io.esteira.crmsync.photo;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.awspring.cloud.sqs.listener.MessageListenerContainer;
import io.awspring.cloud.sqs.listener.MessageListenerContainerRegistry;
import io.esteira.crmsync.crm.CrmAvailability;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Pauses and resumes the image-events listener ({@link ImageEventsListener}; it consumes nothing itself): stops it
 * while CRM calls are paused ({@link CrmAvailability}: daily quota used up, token refused) — messages stay in the
 * queue instead of burning their attempts — and starts it again when the pause ends.
 */
@Component
class ImageEventsPauser implements DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(ImageEventsPauser.class);

	private final MessageListenerContainerRegistry containers;

	private final CrmAvailability availability;

	private final Clock clock;

	private final ScheduledExecutorService scheduler = Executors
		.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("crm-consumer-resume").factory());

	private ScheduledFuture<?> resumption;

	ImageEventsPauser(MessageListenerContainerRegistry containers, CrmAvailability availability, Clock clock) {
		this.containers = containers;
		this.availability = availability;
		this.clock = clock;
		availability.onChange(this::onChange);
	}

	private synchronized void onChange(Optional<CrmAvailability.Pause> pause) {
		if (this.resumption != null) {
			this.resumption.cancel(false);
			this.resumption = null;
		}
		MessageListenerContainer<?> container = this.containers.getContainerById(ImageEventsListener.ID);
		if (container == null) {
			return;
		}
		if (pause.isPresent()) {
			Duration wait = Duration.between(this.clock.instant(), pause.get().until());
			logger.warn("Consumer of image events stopped until {}: {}", pause.get().until(), pause.get().message());
			// Not on the listener's own thread: stopping waits for in-flight messages, this one among them.
			this.scheduler.execute(container::stop);
			this.resumption = this.scheduler.schedule(this.availability::resume, Math.max(0, wait.toMillis()),
					TimeUnit.MILLISECONDS);
		}
		else {
			logger.info("Consumer of image events started again");
			this.scheduler.execute(() -> {
				if (!container.isRunning()) {
					container.start();
				}
			});
		}
	}

	@Override
	public void destroy() {
		this.scheduler.shutdownNow();
	}

}
