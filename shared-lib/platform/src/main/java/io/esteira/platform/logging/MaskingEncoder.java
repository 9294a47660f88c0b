package io.esteira.platform.logging;

import java.nio.charset.StandardCharsets;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;

/**
 * Wraps an appender's encoder and {@linkplain PersonalData#mask masks} what it wrote: the whole line, so the message,
 * its arguments, an exception's text and stack trace, and every field of a structured (ECS, Logstash) line alike.
 * Encoders write UTF-8 (Spring Boot's default charset for the console and files).
 */
final class MaskingEncoder extends EncoderBase<ILoggingEvent> {

	private final Encoder<ILoggingEvent> delegate;

	MaskingEncoder(Encoder<ILoggingEvent> delegate) {
		this.delegate = delegate;
	}

	Encoder<ILoggingEvent> delegate() {
		return this.delegate;
	}

	@Override
	public byte[] headerBytes() {
		return this.delegate.headerBytes();
	}

	@Override
	public byte[] encode(ILoggingEvent event) {
		byte[] encoded = this.delegate.encode(event);
		if (encoded == null || encoded.length == 0) {
			return encoded;
		}
		String line = new String(encoded, StandardCharsets.UTF_8);
		String masked = PersonalData.mask(line);
		return (masked.equals(line)) ? encoded : masked.getBytes(StandardCharsets.UTF_8);
	}

	@Override
	public byte[] footerBytes() {
		return this.delegate.footerBytes();
	}

	@Override
	public void start() {
		if (!this.delegate.isStarted()) {
			this.delegate.start();
		}
		super.start();
	}

	@Override
	public void stop() {
		this.delegate.stop();
		super.stop();
	}

}
