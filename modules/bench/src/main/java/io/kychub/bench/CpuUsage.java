package io.kychub.bench;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the machine's cores went during a phase: the server (hub or bare server), the benchmark itself (the load
 * generator) and everything else (PostgreSQL, mostly), in cores busy on average, from /proc.
 * On a machine without /proc every figure is -1.
 */
final class CpuUsage {

  /** Linux reports process times in clock ticks of 1/100 s (USER_HZ). */
  private static final double TICKS_PER_SECOND = 100;

  private final long serverPid;
  private final long startNanos = System.nanoTime();
  private final long serverTicks;
  private final long benchTicks;
  private final long busyTicks;

  CpuUsage(long serverPid) {
    this.serverPid = serverPid;
    this.serverTicks = processTicks(serverPid);
    this.benchTicks = processTicks(ProcessHandle.current().pid());
    this.busyTicks = machineBusyTicks();
  }

  /** Cores busy on average since this snapshot. */
  JsonObject since() {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    double server = (processTicks(serverPid) - serverTicks) / TICKS_PER_SECOND / seconds;
    double bench = (processTicks(ProcessHandle.current().pid()) - benchTicks) / TICKS_PER_SECOND / seconds;
    double busy = (machineBusyTicks() - busyTicks) / TICKS_PER_SECOND / seconds;
    if (serverTicks < 0 || busyTicks < 0) {
      return new JsonObject().put("serverCores", -1).put("benchCores", -1).put("otherCores", -1);
    }
    return new JsonObject().put("serverCores", round(server)).put("benchCores", round(bench))
        .put("otherCores", round(Math.max(0, busy - server - bench)))
        .put("idleCores", round(Math.max(0, Runtime.getRuntime().availableProcessors() - busy)));
  }

  private static double round(double cores) {
    return Math.round(cores * 100) / 100.0;
  }

  /** utime + stime of a process (fields 14 and 15 of /proc/PID/stat, after the command name). */
  private static long processTicks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** Every core's non-idle ticks (the first line of /proc/stat, less idle and iowait). */
  private static long machineBusyTicks() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long total = 0;
      // user, nice, system, idle, iowait, irq, softirq (steal is the hypervisor's, not ours)
      for (int i = 1; i < Math.min(f.length, 8); i++) {
        total += Long.parseLong(f[i]);
      }
      return total - Long.parseLong(f[4]) - Long.parseLong(f[5]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
