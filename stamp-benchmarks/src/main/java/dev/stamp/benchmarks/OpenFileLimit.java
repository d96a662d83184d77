package dev.stamp.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The open-file limit ({@code RLIMIT_NOFILE}) of a process: every socket is a file
 * descriptor, so 100,000 connections need a limit above 100,000 on both sides. A JVM
 * cannot raise its own hard limit, but {@code prlimit --pid} (util-linux) can raise a
 * running process's, given the privilege (root, or {@code CAP_SYS_RESOURCE}); the kernel
 * checks the limit when a descriptor is made, so it takes effect at once.
 */
final class OpenFileLimit {

	private OpenFileLimit() {
	}

	/**
	 * Raises the soft and hard open-file limits of a process to at least {@code files}.
	 * @param pid the process
	 * @param files descriptors needed
	 * @return the soft limit in effect afterwards, -1 if unknown
	 */
	static long raise(long pid, long files) {
		long current = soft(pid);
		if (current >= files || current < 0) {
			return current;
		}
		try {
			Process prlimit = new ProcessBuilder("prlimit", "--pid", Long.toString(pid),
					"--nofile=" + files + ":" + files)
				.redirectErrorStream(true)
				.start();
			String output = new String(prlimit.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
			if (!prlimit.waitFor(10, TimeUnit.SECONDS) || prlimit.exitValue() != 0) {
				BenchmarkMain.log("Could not raise the open-file limit of " + pid + " to " + files + " (" + output
						+ "): run as root, or raise it before starting (ulimit -n " + files + ")");
			}
		}
		catch (IOException ex) {
			BenchmarkMain.log("No prlimit to raise the open-file limit to " + files + ": run `ulimit -n " + files
					+ "` before starting");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return soft(pid);
	}

	/** The soft open-file limit of a process, from procfs; -1 if unknown. */
	static long soft(long pid) {
		try {
			for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "limits"))) {
				if (line.startsWith("Max open files")) {
					String value = line.substring("Max open files".length()).trim().split("\\s+")[0];
					return value.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(value);
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// not Linux
		}
		return -1;
	}

}
