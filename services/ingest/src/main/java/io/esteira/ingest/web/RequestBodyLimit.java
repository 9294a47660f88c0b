package io.esteira.ingest.web;

import java.io.IOException;
import java.util.Locale;

import io.esteira.platform.web.ProblemException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Bounds every request body of the API but the multipart upload (whose limit is the kinds' size limits) to
 * {@link #MAX_BODY}: the JSON bodies ({@code /api/uploads/presign}, {@code /api/admin/objects}) hold a few short
 * fields, and nothing else bounds what Jackson would read. A declared {@code Content-Length} over it is answered
 * {@code 413} ({@code request-too-large}) before anything is read; a body without one (chunked) stops being read at the
 * limit, which fails the request as unreadable ({@code 400}).
 */
@Component
class RequestBodyLimit extends OncePerRequestFilter {

	static final DataSize MAX_BODY = DataSize.ofKilobytes(64);

	private final JsonMapper json;

	RequestBodyLimit(JsonMapper json) {
		this.json = json;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		String type = request.getContentType();
		return !request.getRequestURI().startsWith("/api/")
				|| (type != null && type.toLowerCase(Locale.ROOT).startsWith(MediaType.MULTIPART_FORM_DATA_VALUE));
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (request.getContentLengthLong() > MAX_BODY.toBytes()) {
			ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE, "The request body has "
					+ request.getContentLengthLong() + " bytes; the limit is " + MAX_BODY.toBytes() + " bytes.");
			problem.setType(ProblemException.type("request-too-large"));
			problem.setTitle("Request too large");
			problem.setProperty("limitBytes", MAX_BODY.toBytes());
			response.setStatus(HttpStatus.CONTENT_TOO_LARGE.value());
			response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
			this.json.writeValue(response.getOutputStream(), problem);
			return;
		}
		chain.doFilter(new Bounded(request), response);
	}

	/** The request with a body that ends with an error past {@link #MAX_BODY}. */
	private static final class Bounded extends HttpServletRequestWrapper {

		Bounded(HttpServletRequest request) {
			super(request);
		}

		@Override
		public ServletInputStream getInputStream() throws IOException {
			ServletInputStream in = super.getInputStream();
			return new ServletInputStream() {

				private long read;

				@Override
				public int read() throws IOException {
					int b = in.read();
					count((b < 0) ? 0 : 1);
					return b;
				}

				@Override
				public int read(byte[] buffer, int offset, int length) throws IOException {
					int n = in.read(buffer, offset, length);
					count(Math.max(n, 0));
					return n;
				}

				private void count(int n) throws IOException {
					this.read += n;
					if (this.read > MAX_BODY.toBytes()) {
						throw new IOException("Request body over " + MAX_BODY.toBytes() + " bytes");
					}
				}

				@Override
				public boolean isFinished() {
					return in.isFinished();
				}

				@Override
				public boolean isReady() {
					return in.isReady();
				}

				@Override
				public void setReadListener(ReadListener listener) {
					in.setReadListener(listener);
				}

			};
		}

	}

}
