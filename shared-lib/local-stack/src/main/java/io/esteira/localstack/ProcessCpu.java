package io.esteira.localstack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CPU time of processes, read from Linux's {@code /proc/<pid>/stat}: user and system time of every thread of the
 * process ({@code utime + stime}) plus that of its children it has waited for ({@code cutime + cstime}), in clock
 * ticks converted with {@code getconf CLK_TCK} (read once; 100, Linux's {@code USER_HZ} on every common
 * architecture, if {@code getconf} is missing). Children still running are not in a parent's figures: the local
 * stack's S3Proxy is found and reported on its own ({@link #localStack}).
 */
final class ProcessCpu {

	private static final Pattern JAR = Pattern.compile("esteira-([a-z-]+?)-\\d[^/]*-exec\\.jar$");

	private static final Pattern PORT = Pattern.compile("^--server\\.port=(\\d+)$");

	private static volatile long clockTicks;

	private ProcessCpu() {
	}

	/**
	 * The fields of a {@code /proc/<pid>/stat} line that matter here.
	 *
	 * @param comm the executable's name as the kernel keeps it (up to 15 characters; may hold spaces and
	 * parentheses)
	 */
	record Stat(long pid, String comm, char state, long utime, long stime, long cutime, long cstime) {

		/** Own and waited-for children's CPU, in clock ticks. */
		long ticks() {
			return this.utime + this.stime + this.cutime + this.cstime;
		}

	}

	/**
	 * Parses a {@code stat} line. The name is everything between the first {@code (} and the last {@code )}, since it
	 * can contain both and spaces; the fields after it are counted from there ({@code utime} is the 14th of the line).
	 */
	static Stat parse(String line) {
		int open = line.indexOf('(');
		int close = line.lastIndexOf(')');
		if (open < 0 || close < open) {
			throw new IllegalArgumentException("Not a /proc/<pid>/stat line: " + line);
		}
		long pid = Long.parseLong(line.substring(0, open).strip());
		String comm = line.substring(open + 1, close);
		String[] fields = line.substring(close + 1).strip().split("\\s+");
		// fields[0] is the 3rd field of the line (state); utime is the 14th, so fields[11].
		if (fields.length < 15) {
			throw new IllegalArgumentException("Too few fields in /proc/<pid>/stat line: " + line);
		}
		return new Stat(pid, comm, fields[0].charAt(0), Long.parseLong(fields[11]), Long.parseLong(fields[12]),
				Long.parseLong(fields[13]), Long.parseLong(fields[14]));
	}

	/** CPU milliseconds the process has used so far, empty if it is gone (or this is not Linux). */
	static OptionalLong millis(long pid) {
		try {
			Stat stat = parse(Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8));
			return OptionalLong.of(stat.ticks() * 1000 / clockTicks());
		}
		catch (IOException | RuntimeException ex) {
			return OptionalLong.empty();
		}
	}

	/** CPU milliseconds of each process, by label, now; a process that is gone reads as {@code -1}. */
	static Map<String, Long> sample(Map<String, Long> pids) {
		Map<String, Long> millis = new LinkedHashMap<>();
		pids.forEach((label, pid) -> millis.put(label, millis(pid).orElse(-1)));
		return millis;
	}

	static long clockTicks() {
		if (clockTicks == 0) {
			long ticks = 100;
			try {
				Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
				String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
				if (getconf.waitFor() == 0 && out.matches("\\d+")) {
					ticks = Long.parseLong(out);
				}
			}
			catch (IOException ex) {
				// no getconf: Linux's USER_HZ
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			clockTicks = ticks;
		}
		return clockTicks;
	}

	/**
	 * The processes of the local stack whose services call HubSpot at {@code hubSpotUrl} (every service gets it on
	 * its command line, so this finds one stack's processes among others on the machine, whether this JVM started it
	 * or not), labelled {@code <service>-<k>} (replicas numbered by port), then the stack's own JVM
	 * ({@code local-stack JVM}, which runs ElasticMQ, WireMock and the S3 event bridge) and its S3Proxy child
	 * ({@code s3proxy}), by pid.
	 */
	static Map<String, Long> localStack(String hubSpotUrl) {
		String marker = "--esteira.crm.hubspot.base-url=" + hubSpotUrl;
		record Found(String service, int port, ProcessHandle handle) {
		}
		List<Found> found = new ArrayList<>();
		ProcessHandle.allProcesses().forEach((handle) -> {
			List<String> args = arguments(handle.pid());
			if (args.contains(marker)) {
				String service = null;
				int port = 0;
				for (String arg : args) {
					Matcher jar = JAR.matcher(arg);
					if (jar.find()) {
						service = jar.group(1);
					}
					Matcher server = PORT.matcher(arg);
					if (server.matches()) {
						port = Integer.parseInt(server.group(1));
					}
				}
				if (service != null) {
					found.add(new Found(service, port, handle));
				}
			}
		});
		found.sort(Comparator.comparing(Found::service).thenComparingInt(Found::port));
		Map<String, Long> pids = new LinkedHashMap<>();
		Map<String, Integer> next = new LinkedHashMap<>();
		for (EsteiraService service : EsteiraService.values()) {
			for (Found process : found) {
				if (process.service().equals(service.id())) {
					int k = next.merge(service.id(), 1, Integer::sum) - 1;
					pids.put(service.id() + "-" + k, process.handle().pid());
				}
			}
		}
		Optional<ProcessHandle> stack = found.isEmpty() ? Optional.empty() : found.get(0).handle().parent();
		stack.ifPresent((jvm) -> {
			pids.put("local-stack JVM", jvm.pid());
			jvm.children()
				.filter((child) -> String.join(" ", arguments(child.pid())).contains("s3proxy"))
				.findFirst()
				.ifPresent((s3) -> pids.put("s3proxy", s3.pid()));
		});
		return pids;
	}

	/** The process's command line, from {@code /proc/<pid>/cmdline}; empty when unreadable. */
	private static List<String> arguments(long pid) {
		try {
			byte[] bytes = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
			return List.of(new String(bytes, StandardCharsets.UTF_8).split("\0"));
		}
		catch (IOException | RuntimeException ex) {
			return List.of();
		}
	}

}
