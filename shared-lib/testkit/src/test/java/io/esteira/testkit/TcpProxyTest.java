package io.esteira.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class TcpProxyTest {

	@Test
	void bytesGoThroughUntilCutThenConnectionsAreResetAndRefusedUntilRestored() throws Exception {
		try (ServerSocket echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
				TcpProxy proxy = TcpProxy.to("127.0.0.1", echo.getLocalPort())) {
			Thread.ofVirtual().start(() -> echoAll(echo));
			try (Socket client = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
				assertThat(roundTrip(client, "hello")).isEqualTo("hello");

				proxy.cut();

				assertThat(proxy.isCut()).isTrue();
				assertThatExceptionOfType(IOException.class).isThrownBy(() -> {
					// The reset may only show on the second write or on the read.
					for (int i = 0; i < 10; i++) {
						roundTrip(client, "again");
					}
				});
			}
			assertThatExceptionOfType(ConnectException.class)
				.isThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), proxy.port()).close());

			proxy.restore();

			try (Socket client = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
				assertThat(roundTrip(client, "back")).isEqualTo("back");
			}
		}
	}

	private static String roundTrip(Socket socket, String text) throws IOException {
		OutputStream out = socket.getOutputStream();
		out.write(text.getBytes());
		out.flush();
		InputStream in = socket.getInputStream();
		byte[] answer = in.readNBytes(text.length());
		if (answer.length < text.length()) {
			throw new IOException("connection closed");
		}
		return new String(answer);
	}

	private static void echoAll(ServerSocket server) {
		while (!server.isClosed()) {
			try {
				Socket socket = server.accept();
				Thread.ofVirtual().start(() -> {
					try (socket) {
						socket.getInputStream().transferTo(socket.getOutputStream());
					}
					catch (IOException ex) {
						// closed
					}
				});
			}
			catch (IOException ex) {
				return;
			}
		}
	}

}
