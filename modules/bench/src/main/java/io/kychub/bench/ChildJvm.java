package io.kychub.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Java child process (the hub, or the bare server) with its output in a log file: started,
 * awaited until an HTTP URL answers 200, measured through /proc, and stopped.
 */
final class ChildJvm implements AutoCloseable {

  /** What to run: {@code -jar <jar>}, or {@code -cp <classpath> <mainClass>}. */
  record Launch(String jar, String classpath, String mainClass) {
    static Launch jar(Path jar) {
      return new Launch(jar.toAbsolutePath().toString(), null, null);
    }

    static Launch main(String classpath, Class<?> mainClass) {
      return new Launch(null, classpath, mainClass.getName());
    }

    List<String> arguments() {
      return jar != null ? List.of("-jar", jar) : List.of("-cp", classpath, mainClass);
    }

    String describe() {
      return jar != null ? "java -jar " + jar : "java -cp <benchmark classpath> " + mainClass;
    }
  }

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Process process;
  private final Path log;

  private ChildJvm(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  static ChildJvm start(Launch launch, List<String> jvmOptions, List<String> args, Map<String, String> env, Path log)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(launch.arguments());
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    // A null value removes a variable the child would otherwise inherit.
    env.forEach((name, value) -> {
      if (value == null) {
        builder.environment().remove(name);
      } else {
        builder.environment().put(name, value);
      }
    });
    return new ChildJvm(builder.start(), log);
  }

  long pid() {
    return process.pid();
  }

  /** Polls {@code url} until it answers 200; fails when the process dies or the time runs out. */
  void awaitHttp(String url, Duration limit) throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("child exited with " + process.exitValue() + "; see " + log);
      }
      if (status(url) == 200) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException(url + " did not answer 200 within " + limit + "; see " + log);
  }

  /** The status of a GET, or -1 when nothing answers. */
  static int status(String url) throws InterruptedException {
    try {
      return get(url).statusCode();
    } catch (IOException e) {
      return -1;
    }
  }

  static HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Resident memory now ({@code VmRSS}) and at its peak ({@code VmHWM}), in bytes. */
  long rssBytes() {
    return Machine.residentBytes(process.pid(), "VmRSS");
  }

  long peakRssBytes() {
    return Machine.residentBytes(process.pid(), "VmHWM");
  }

  /** Runs {@code jcmd <pid> <command>} (e.g. {@code GC.run}); false when jcmd is not there. */
  boolean jcmd(String command) throws InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    try {
      Process p = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), command)
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * CPU seconds the process's JIT compilers have spent so far ({@code java.ci.totalTime} of
   * {@code jcmd PerfCounter.print}), or -1 when jcmd cannot tell.
   */
  double jitSeconds() throws InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    try {
      Process p = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "PerfCounter.print")
          .redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        return -1;
      }
      double ticks = -1;
      double frequency = -1;
      for (String line : out.split("\n")) {
        if (line.startsWith("java.ci.totalTime=") || line.startsWith("sun.ci.totalTime=")) {
          ticks = Double.parseDouble(line.substring(line.indexOf('=') + 1).trim());
        } else if (line.startsWith("sun.os.hrt.frequency=")) {
          frequency = Double.parseDouble(line.substring(line.indexOf('=') + 1).trim());
        }
      }
      return ticks < 0 || frequency <= 0 ? -1 : ticks / frequency;
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
  }

  /** Asks the process to stop (SIGTERM: the hub's shutdown hook runs), then forces it after 30 s. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
