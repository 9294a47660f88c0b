package io.esteira.invoice;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;

/**
 * The invoice service: imports invoice files announced by S3 events and serves the stored invoices. Clients
 * authenticate with API keys only, so Spring Security's default user (and its generated password) is left out.
 */
@SpringBootApplication(exclude = UserDetailsServiceAutoConfiguration.class)
public class InvoiceApplication {

	public static void main(String[] args) {
		SpringApplication.run(InvoiceApplication.class, args);
	}

}
