package io.esteira.ingest.upload.multipart;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import io.esteira.ingest.TestFiles;
import org.junit.jupiter.api.Test;

import org.springframework.core.io.ByteArrayResource;

import static org.assertj.core.api.Assertions.assertThat;

class ContentTypeDetectorTest {

	private final ContentTypeDetector detector = new ContentTypeDetector();

	@Test
	void imagesAreKnownByTheirMagicBytes() throws IOException {
		assertThat(detect(TestFiles.aPng())).isEqualTo("image/png");
		assertThat(detect(TestFiles.aJpeg())).isEqualTo("image/jpeg");
		assertThat(detect(TestFiles.aGif())).isEqualTo("image/gif");
		assertThat(detect(TestFiles.aBmp())).isEqualTo("image/bmp");
		assertThat(detect("RIFF\0\0\0\0WEBPVP8 ".getBytes(StandardCharsets.ISO_8859_1))).isEqualTo("image/webp");
	}

	@Test
	void pdfIsAPdfWhateverItIsCalled() throws IOException {
		assertThat(detect(TestFiles.aPdf())).isEqualTo("application/pdf");
	}

	@Test
	void textThatParsesAsJsonIsJson() throws IOException {
		assertThat(detect(TestFiles.anInvoiceJson())).isEqualTo("application/json");
		assertThat(detect("  {\"a\": [1, 2]}\n".getBytes(StandardCharsets.UTF_8))).isEqualTo("application/json");
	}

	@Test
	void textThatIsNotOneJsonDocumentStaysPlainText() throws IOException {
		assertThat(detect("[{\"a\": 1}".getBytes(StandardCharsets.UTF_8))).isEqualTo("text/plain");
		assertThat(detect("{\"a\": 1} {\"b\": 2}".getBytes(StandardCharsets.UTF_8))).isEqualTo("text/plain");
		assertThat(detect("42".getBytes(StandardCharsets.UTF_8))).isEqualTo("text/plain");
		assertThat(detect(TestFiles.anInvoiceCsv())).isEqualTo("text/plain");
	}

	@Test
	void xmlWithDeclarationIsXml() throws IOException {
		assertThat(detect("<?xml version=\"1.0\"?><nfe/>".getBytes(StandardCharsets.UTF_8)))
			.isEqualTo("application/xml");
	}

	private String detect(byte[] bytes) throws IOException {
		return this.detector.detect(new ByteArrayResource(bytes));
	}

}
