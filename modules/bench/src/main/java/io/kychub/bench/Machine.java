package io.kychub.bench;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Facts about the machine and the processes a figure was measured with, read from /proc where Linux has them. */
final class Machine {

  private Machine() {}

  static JsonObject describe() {
    return new JsonObject()
        .put("cores", Runtime.getRuntime().availableProcessors())
        .put("memoryBytes", meminfoBytes("MemTotal").orElse(-1L))
        .put("cpuModel", cpuModel())
        .put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"))
        .put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"))
        .put("openFilesLimit", openFilesLimit());
  }

  /** The 1, 5 and 15 minute load averages, or an empty string where /proc has none. */
  static String loadAverage() {
    return firstLine(Path.of("/proc/loadavg")).map(l -> String.join(" ", List.of(l.split(" ")).subList(0, 3))).orElse("");
  }

  /** A process's resident memory ({@code VmRSS}, or the peak {@code VmHWM}) in bytes; -1 when unknown. */
  static long residentBytes(long pid, String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith(field + ":")) {
          return kib(line);
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or the process is gone
    }
    return -1;
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim())
          .findFirst().orElse(System.getProperty("os.arch"));
    } catch (IOException e) {
      return System.getProperty("os.arch");
    }
  }

  private static Optional<Long> meminfoBytes(String field) {
    try {
      return Files.readAllLines(Path.of("/proc/meminfo")).stream()
          .filter(l -> l.startsWith(field + ":")).findFirst().map(Machine::kib);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The soft limit on open files of this process (children inherit it). */
  private static String openFilesLimit() {
    try {
      return Files.readAllLines(Path.of("/proc/self/limits")).stream()
          .filter(l -> l.startsWith("Max open files"))
          .map(l -> l.replaceAll("\\s+", " ").split(" ")[3])
          .findFirst().orElse("unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static long kib(String line) {
    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
  }

  private static Optional<String> firstLine(Path file) {
    try {
      return Files.readAllLines(file).stream().findFirst();
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
