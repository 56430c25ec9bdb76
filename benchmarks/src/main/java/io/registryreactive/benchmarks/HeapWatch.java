package io.registryreactive.benchmarks;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/** Tracks the heap in use: before and after every GC, and sampled every 5 ms. */
final class HeapWatch implements AutoCloseable {
  private final List<MemoryPoolMXBean> heapPools =
      ManagementFactory.getMemoryPoolMXBeans().stream()
          .filter(p -> p.getType() == MemoryType.HEAP)
          .toList();
  private final AtomicLong peak = new AtomicLong();
  private final AtomicLong peakAfterGc = new AtomicLong();
  private final AtomicLong gcs = new AtomicLong();
  private final NotificationListener listener =
      (notification, handback) -> {
        if (!notification
            .getType()
            .equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
          return;
        }
        GarbageCollectionNotificationInfo info =
            GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
        gcs.incrementAndGet();
        peak.accumulateAndGet(heapSum(info.getGcInfo().getMemoryUsageBeforeGc()), Math::max);
        peakAfterGc.accumulateAndGet(heapSum(info.getGcInfo().getMemoryUsageAfterGc()), Math::max);
      };
  private final Thread sampler;
  private volatile boolean running = true;

  HeapWatch() {
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      ((NotificationEmitter) gc).addNotificationListener(listener, null, null);
    }
    sampler =
        new Thread(
            () -> {
              while (running) {
                peak.accumulateAndGet(usedNow(), Math::max);
                try {
                  Thread.sleep(5);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "heap-sampler");
    sampler.setDaemon(true);
    sampler.start();
  }

  /** Heap pools only: the notifications also report metaspace and code cache. */
  private long heapSum(Map<String, MemoryUsage> usageByPool) {
    long used = 0;
    for (MemoryPoolMXBean p : heapPools) {
      MemoryUsage u = usageByPool.get(p.getName());
      used += u == null ? 0 : u.getUsed();
    }
    return used;
  }

  long usedNow() {
    long used = 0;
    for (MemoryPoolMXBean p : heapPools) {
      used += p.getUsage().getUsed();
    }
    return used;
  }

  void reset() {
    peak.set(usedNow());
    peakAfterGc.set(0);
    gcs.set(0);
  }

  long peak() {
    return peak.get();
  }

  long peakAfterGc() {
    return peakAfterGc.get();
  }

  long gcs() {
    return gcs.get();
  }

  @Override
  public void close() {
    running = false;
    sampler.interrupt();
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      try {
        ((NotificationEmitter) gc).removeNotificationListener(listener);
      } catch (javax.management.ListenerNotFoundException e) {
        // already gone
      }
    }
  }

  /**
   * @param bytes a byte count
   * @return it in MiB, rounded
   */
  static long mib(long bytes) {
    return Math.round(bytes / (1024.0 * 1024.0));
  }

  /**
   * @param e what a run threw
   * @return the {@link OutOfMemoryError} in its causes, else its root cause
   */
  static Throwable rootCause(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && !(cause instanceof OutOfMemoryError)) {
      cause = cause.getCause();
    }
    return cause;
  }
}
