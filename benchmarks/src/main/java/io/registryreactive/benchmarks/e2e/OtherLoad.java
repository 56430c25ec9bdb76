package io.registryreactive.benchmarks.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How much CPU processes other than this run's used while it ran: the machine's busy time from
 * {@code /proc/stat}, minus this JVM, its reaped children (wrk, ab, skopeo, the CLI) and the
 * registry. The load average cannot tell that apart, since this run's own work counts in it.
 *
 * <p>Linux only; every reading is empty elsewhere.
 */
final class OtherLoad {
  // USER_HZ: /proc reports times in these ticks; 100 on every mainstream Linux build.
  private static final double TICKS_PER_SECOND = 100;

  private final RegistryCpu registry;
  private final Optional<Snapshot> start;

  /**
   * Starts measuring now.
   *
   * @param registry the registry's CPU, counted as this run's own
   */
  OtherLoad(RegistryCpu registry) {
    this.registry = registry;
    this.start = snapshot(registry);
  }

  /**
   * CPU use since the start, in cores (1.0 = one core busy the whole time).
   *
   * @param others processes other than this run's
   * @param steal time the hypervisor gave to other guests
   * @param own this run: harness JVM, its children, the registry
   */
  record Cores(double others, double steal, double own) {}

  /**
   * @return use since construction, if {@code /proc} could be read
   */
  Optional<Cores> sinceStart() {
    Optional<Snapshot> end = snapshot(registry);
    if (start.isEmpty() || end.isEmpty()) {
      return Optional.empty();
    }
    Snapshot a = start.get();
    Snapshot b = end.get();
    double seconds = (b.wallNanos() - a.wallNanos()) / 1e9;
    if (seconds <= 0) {
      return Optional.empty();
    }
    double busy = (b.busyTicks() - a.busyTicks()) / TICKS_PER_SECOND;
    double steal = (b.stealTicks() - a.stealTicks()) / TICKS_PER_SECOND;
    double own =
        (b.ownTicks() - a.ownTicks()) / TICKS_PER_SECOND
            + (b.registryCpu().toNanos() - a.registryCpu().toNanos()) / 1e9;
    return Optional.of(
        new Cores(Math.max(0, busy - own) / seconds, steal / seconds, own / seconds));
  }

  /**
   * @return CPU seconds (user + system) of this JVM's children that have exited and been waited
   *     for, and of theirs: what a child process used, read before and after it ran
   */
  static Optional<Double> reapedChildrenCpuSeconds() {
    try {
      String[] s = selfStat();
      return Optional.of((Long.parseLong(s[13]) + Long.parseLong(s[14])) / TICKS_PER_SECOND);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * @return the fields of {@code /proc/self/stat} after the ")" that closes the command name: state
   *     is index 0, utime, stime, cutime and cstime (fields 14 to 17) indexes 11 to 14
   */
  private static String[] selfStat() throws IOException {
    String self = Files.readString(Path.of("/proc/self/stat"), StandardCharsets.US_ASCII);
    return self.substring(self.lastIndexOf(')') + 2).trim().split("\\s+");
  }

  private record Snapshot(
      long wallNanos, long busyTicks, long stealTicks, long ownTicks, Duration registryCpu) {}

  private static Optional<Snapshot> snapshot(RegistryCpu registry) {
    try {
      String cpu = Files.readAllLines(Path.of("/proc/stat"), StandardCharsets.US_ASCII).get(0);
      String[] f = cpu.trim().split("\\s+");
      // cpu user nice system idle iowait irq softirq steal ...
      long busy =
          Long.parseLong(f[1])
              + Long.parseLong(f[2])
              + Long.parseLong(f[3])
              + Long.parseLong(f[6])
              + Long.parseLong(f[7]);
      long steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
      String[] s = selfStat();
      long own =
          Long.parseLong(s[11])
              + Long.parseLong(s[12])
              + Long.parseLong(s[13])
              + Long.parseLong(s[14]);
      return Optional.of(
          new Snapshot(
              System.nanoTime(), busy, steal, own, registry.total().orElse(Duration.ZERO)));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
