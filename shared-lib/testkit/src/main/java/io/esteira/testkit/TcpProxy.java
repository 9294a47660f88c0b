package io.esteira.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on a free loopback port in front of a real stand-in (PostgreSQL, ElasticMQ, S3Proxy), so that a test can
 * take the stand-in away from the services and give it back: {@link #cut()} resets every open connection and refuses
 * new ones, as a crashed or unreachable server does; {@link #restore()} listens again on the same port. What the
 * stand-in holds (rows, messages, objects) is untouched. Bytes are copied as they come, in both directions, one
 * virtual thread per direction.
 */
public final class TcpProxy implements AutoCloseable {

	private final InetSocketAddress target;

	private final int port;

	private final Set<Socket> open = ConcurrentHashMap.newKeySet();

	private ServerSocket server;

	private boolean closed;

	private TcpProxy(InetSocketAddress target, int port) {
		this.target = target;
		this.port = port;
	}

	/** A proxy to {@code host:port}, listening. */
	public static TcpProxy to(String host, int port) {
		TcpProxy proxy = new TcpProxy(new InetSocketAddress(host, port), Ports.free());
		proxy.restore();
		return proxy;
	}

	/** A proxy to the PostgreSQL server of a JDBC URL ({@code jdbc:postgresql://host:port/db?...}), listening. */
	public static TcpProxy toDatabase(String jdbcUrl) {
		URI database = URI.create(jdbcUrl.substring("jdbc:".length()));
		return to(database.getHost(), database.getPort());
	}

	/** {@code jdbcUrl} (of the server this proxy stands before) through this proxy: same database and parameters. */
	public String jdbcUrl(String jdbcUrl) {
		URI database = URI.create(jdbcUrl.substring("jdbc:".length()));
		return "jdbc:postgresql://127.0.0.1:" + this.port + database.getRawPath()
				+ ((database.getRawQuery() != null) ? "?" + database.getRawQuery() : "");
	}

	/** Where the services connect instead of the stand-in. */
	public int port() {
		return this.port;
	}

	/** Whether the stand-in is cut off. */
	public synchronized boolean isCut() {
		return this.server == null;
	}

	/** Stops listening (connections are refused) and resets every connection open through the proxy. */
	public synchronized void cut() {
		if (this.server != null) {
			closeQuietly(this.server);
			this.server = null;
		}
		this.open.forEach(TcpProxy::closeQuietly);
		this.open.clear();
	}

	/** Listens again, on the same port. */
	public synchronized void restore() {
		if (this.closed || this.server != null) {
			return;
		}
		try {
			ServerSocket listening = new ServerSocket();
			listening.setReuseAddress(true);
			listening.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.port), 200);
			this.server = listening;
			Thread.ofVirtual().name("tcp-proxy-" + this.port).start(() -> accept(listening));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not listen on " + this.port, ex);
		}
	}

	private void accept(ServerSocket listening) {
		while (!listening.isClosed()) {
			Socket client;
			try {
				client = listening.accept();
			}
			catch (IOException ex) {
				return; // cut or closed
			}
			Thread.ofVirtual().start(() -> connect(client));
		}
	}

	private void connect(Socket client) {
		Socket upstream = new Socket();
		try {
			upstream.connect(this.target, 5_000);
			client.setTcpNoDelay(true);
			upstream.setTcpNoDelay(true);
		}
		catch (IOException ex) {
			closeQuietly(client);
			closeQuietly(upstream);
			return;
		}
		this.open.add(client);
		this.open.add(upstream);
		synchronized (this) {
			if (this.server == null) {
				// Cut while connecting.
				closeQuietly(client);
				closeQuietly(upstream);
				return;
			}
		}
		Thread.ofVirtual().start(() -> pump(client, upstream));
		pump(upstream, client);
	}

	/** Copies {@code from} to {@code to} until either ends, then closes both. */
	private void pump(Socket from, Socket to) {
		byte[] buffer = new byte[16 * 1024];
		try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
			int read;
			while ((read = in.read(buffer)) >= 0) {
				out.write(buffer, 0, read);
				out.flush();
			}
		}
		catch (IOException ex) {
			// reset, cut or closed by the other side
		}
		finally {
			closeQuietly(from);
			closeQuietly(to);
			this.open.remove(from);
			this.open.remove(to);
		}
	}

	@Override
	public synchronized void close() {
		cut();
		this.closed = true;
	}

	private static void closeQuietly(AutoCloseable closeable) {
		try {
			if (closeable instanceof Socket socket && !socket.isClosed()) {
				// A reset (RST) rather than an orderly close: what a client sees when the server's machine goes.
				socket.setSoLinger(true, 0);
			}
			closeable.close();
		}
		catch (Exception ex) {
			// already closed
		}
	}

}
