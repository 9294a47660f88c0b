package io.esteira.imageprocessing;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Image processing: turns images uploaded to the uploads bucket into thumbnails in the output bucket. */
@SpringBootApplication
public class ImageProcessingApplication {

	public static void main(String[] args) {
		SpringApplication.run(ImageProcessingApplication.class, args);
	}

}
