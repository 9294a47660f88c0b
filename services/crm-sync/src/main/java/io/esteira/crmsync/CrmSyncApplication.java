package io.esteira.crmsync;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** CRM sync: puts a stable link to each processed image on the customer's CRM contact. */
@SpringBootApplication
public class CrmSyncApplication {

	public static void main(String[] args) {
		SpringApplication.run(CrmSyncApplication.class, args);
	}

}
