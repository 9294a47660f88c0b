package io.esteira.imageprocessing.config;

import java.util.List;

import io.esteira.imageprocessing.thumbnail.ThumbnailRenderer;
import io.esteira.platform.aws.EsteiraAwsProperties;
import io.esteira.platform.aws.RequiredAwsResources;
import io.esteira.platform.outbox.SqsOutboxRelay;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ImageProperties.class)
@Import(SqsOutboxRelay.class)
class ImageProcessingConfiguration {

	/** Readiness: the buckets it reads and writes, the queue it consumes and the queues it sends to. */
	@Bean
	RequiredAwsResources requiredAwsResources(EsteiraAwsProperties aws) {
		return new RequiredAwsResources(List.of(aws.uploadsBucket(), aws.outputBucket()),
				List.of(aws.queues().images(), aws.queues().imageEvents(), aws.queues().status()));
	}

	@Bean
	ThumbnailRenderer thumbnailRenderer(ImageProperties properties) {
		return new ThumbnailRenderer(properties.renditionSizes(), properties.quality(), properties.alphaOutput(),
				properties.maxSourcePixels(), properties.maxMetadataSegments(), properties.decodeTimeout(), properties.maxConcurrentDecodes(),
				properties.nativeJpeg());
	}

}
