package dev.stamp.benchmarks;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time spent during a measurement, from procfs: by the server process, by this (load
 * generator) process, and by everything else on the machine. The server's CPU time per
 * request is a cost that background load on the machine disturbs much less than
 * throughput does; the "other" share says how much background load there was.
 */
final class CpuMeter {

	/**
	 * USER_HZ: the unit of the times in /proc/[pid]/stat and /proc/stat; 100 on every
	 * Linux we run on.
	 */
	private static final double TICKS_PER_SECOND = 100.0;

	private final long serverPid;

	CpuMeter(long serverPid) {
		this.serverPid = serverPid;
	}

	Snapshot snapshot() {
		long[] machine = machineTicks();
		long self = ProcessHandle.current().pid();
		return new Snapshot(System.nanoTime(), processTicks(this.serverPid, false), processTicks(self, false),
				machine[0], machine[1], otherProcessesTicks(this.serverPid, self));
	}

	/** CPU use between two snapshots; all values -1 where procfs is missing. */
	static Usage between(Snapshot start, Snapshot end) {
		double seconds = (end.nanoTime() - start.nanoTime()) / 1e9;
		if (start.serverTicks() < 0 || end.serverTicks() < 0 || start.busyTicks() < 0 || start.otherTicks() < 0
				|| seconds <= 0) {
			return new Usage(-1, -1, -1, -1, -1);
		}
		double server = (end.serverTicks() - start.serverTicks()) / TICKS_PER_SECOND;
		double client = (end.selfTicks() - start.selfTicks()) / TICKS_PER_SECOND;
		double interrupts = (end.interruptTicks() - start.interruptTicks()) / TICKS_PER_SECOND;
		double other = Math.max(0, (end.otherTicks() - start.otherTicks()) / TICKS_PER_SECOND);
		return new Usage(server, server / seconds, client / seconds, other / seconds, interrupts / seconds);
	}

	/**
	 * CPU ticks of a process: utime + stime, plus cutime + cstime (its reaped children)
	 * when asked.
	 */
	private static long processTicks(long pid, boolean withChildren) {
		try {
			String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
			// Fields after the command name, which is in parentheses and may contain
			// spaces.
			String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
			// utime, stime, cutime, cstime are fields 14 to 17 of the whole line: 12 to
			// 15 after "pid (comm) ".
			long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
			if (withChildren) {
				ticks += Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
			}
			return ticks;
		}
		catch (IOException | RuntimeException ex) {
			return -1;
		}
	}

	/**
	 * CPU ticks of every other process on the machine, reaped children included (a
	 * build's short-lived forks), so that a difference of two snapshots is the background
	 * load. Processes that start and are reaped by a parent that also ends between two
	 * snapshots escape it.
	 */
	private static long otherProcessesTicks(long serverPid, long selfPid) {
		long total = 0;
		try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
			for (Path process : processes) {
				long pid = Long.parseLong(process.getFileName().toString());
				if (pid != serverPid && pid != selfPid) {
					total += Math.max(0, processTicks(pid, true));
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			return -1;
		}
		return total;
	}

	/** Busy and interrupt (irq + softirq) ticks of all CPUs. */
	private static long[] machineTicks() {
		try {
			// cpu user nice system idle iowait irq softirq steal
			String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
			long busy = 0;
			long interrupts = 0;
			for (int i = 1; i < fields.length && i <= 8; i++) {
				long value = Long.parseLong(fields[i]);
				if (i != 4 && i != 5) {
					busy += value;
				}
				if (i == 6 || i == 7) {
					interrupts += value;
				}
			}
			return new long[] { busy, interrupts };
		}
		catch (IOException | RuntimeException ex) {
			return new long[] { -1, -1 };
		}
	}

	record Snapshot(long nanoTime, long serverTicks, long selfTicks, long busyTicks, long interruptTicks,
			long otherTicks) {
	}

	/**
	 * CPU use during one measured phase, split by who used it.
	 *
	 * @param serverSeconds CPU seconds the server process used
	 * @param serverCores average cores the server used
	 * @param clientCores average cores the load generator used
	 * @param otherCores average cores used by every other process on the machine
	 * (background load)
	 * @param interruptCores average cores in irq and softirq, machine-wide: mostly the
	 * kernel's loopback TCP/IP work; the part that ran while one of our processes was
	 * current is also in that process's time
	 */
	record Usage(double serverSeconds, double serverCores, double clientCores, double otherCores,
			double interruptCores) {
	}

}
