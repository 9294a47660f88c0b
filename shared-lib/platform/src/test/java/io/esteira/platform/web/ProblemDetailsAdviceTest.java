package io.esteira.platform.web;

import jakarta.validation.constraints.Max;
import org.junit.jupiter.api.Test;

import org.springframework.core.convert.converter.Converter;
import org.springframework.format.support.FormattingConversionService;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.validation.beanvalidation.LocalValidatorFactoryBean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import static org.hamcrest.Matchers.contains;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

class ProblemDetailsAdviceTest {

	private final MockMvc mvc = mockMvc();

	@Test
	void aServicesOwnProblemKeepsItsKindTitleMembersAndHeaders() throws Exception {
		this.mvc.perform(get("/thing"))
			.andExpect(status().isServiceUnavailable())
			.andExpect(header().string("Retry-After", "30"))
			.andExpect(jsonPath("$.type").value("https://esteira.io/problems/thing-unavailable"))
			.andExpect(jsonPath("$.title").value("Thing unavailable"))
			.andExpect(jsonPath("$.detail").value("The thing 7 is away."))
			.andExpect(jsonPath("$.thingId").value(7));
	}

	@Test
	void springMvcErrorsGetATypeByStatusAndNameTheInvalidParameter() throws Exception {
		this.mvc.perform(get("/list").param("size", "1000"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.type").value("https://esteira.io/problems/invalid-request"))
			.andExpect(jsonPath("$.errors", contains("size: must be less than or equal to 100")));
	}

	@Test
	void aValueAConverterRefusesSaysWhy() throws Exception {
		this.mvc.perform(get("/search").param("colour", "blurple"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.type").value("https://esteira.io/problems/invalid-request"))
			.andExpect(jsonPath("$.errors", contains("colour: must be 'red'")));
	}

	@Test
	void anUnexpectedErrorSaysNothingOfItsCause() throws Exception {
		this.mvc.perform(get("/broken"))
			.andExpect(status().isInternalServerError())
			.andExpect(jsonPath("$.type").value("https://esteira.io/problems/internal-error"))
			.andExpect(jsonPath("$.detail").value("The request could not be completed."));
	}

	private static MockMvc mockMvc() {
		LocalValidatorFactoryBean validator = new LocalValidatorFactoryBean();
		validator.afterPropertiesSet();
		FormattingConversionService conversion = new FormattingConversionService();
		conversion.addConverter(String.class, Colour.class, (Converter<String, Colour>) Colour::of);
		return MockMvcBuilders.standaloneSetup(new ThingController())
			.setControllerAdvice(new ProblemDetailsAdvice())
			.setValidator(validator)
			.setConversionService(conversion)
			.build();
	}

	@RestController
	static class ThingController {

		@GetMapping("/thing")
		String thing() {
			throw new ThingUnavailableException(7);
		}

		@GetMapping("/list")
		String list(@RequestParam @Max(100) int size) {
			return "ok";
		}

		@GetMapping("/search")
		String search(Search search) {
			return search.colour().name();
		}

		@GetMapping("/broken")
		String broken() {
			throw new IllegalStateException("secret database password in this message");
		}

	}

	static class ThingUnavailableException extends ProblemException {

		ThingUnavailableException(int id) {
			super(HttpStatus.SERVICE_UNAVAILABLE, "thing-unavailable", "Thing unavailable",
					"The thing " + id + " is away.");
			setProperty("thingId", id);
			retryAfter(30);
		}

	}

	record Search(Colour colour) {
	}

	enum Colour {

		RED;

		static Colour of(String value) {
			if (!"red".equals(value)) {
				throw new UnknownColourException();
			}
			return RED;
		}

	}

	static class UnknownColourException extends ProblemException {

		UnknownColourException() {
			super(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", "must be 'red'");
		}

	}

}
