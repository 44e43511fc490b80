package org.aemp.bench;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The memory figures the benchmark programs print, for this JVM or (RSS only) another process:
 * heap used after full collections, what Netty's default allocator holds in direct memory, what
 * Netty counts as direct memory in all (-1 when it does not count: then its buffers are the JDK's
 * and show in the JDK's figure), what the JDK counts for direct buffers, and the resident set size
 * from {@code /proc}. Thread-safe (stateless).
 */
final class Memory {
    static final double MB = 1024.0 * 1024.0;

    private Memory() {
    }

    /** Heap in use after three full collections, a little apart (a collection may free more for the next). */
    static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /**
     * Direct memory held by {@code ByteBufAllocator.DEFAULT}, which the links' channels allocate from:
     * in Netty 4.2 the adaptive allocator (Netty 4.1's was the pooled one, whose
     * {@code PooledByteBufAllocator.DEFAULT.metric()} stays at 0 here). -1 if it keeps no metric.
     */
    static long allocatorDirect() {
        return ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider p ? p.metric().usedDirectMemory() : -1;
    }

    /** Direct memory Netty counts for itself ({@code PlatformDependent.usedDirectMemory()}), or -1 if it does not count. */
    static long nettyDirect() {
        return PlatformDependent.usedDirectMemory();
    }

    /** Direct memory the JDK counts for direct buffers (the {@code direct} buffer pool), or -1 if unknown. */
    static long jdkDirect() {
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                return pool.getMemoryUsed();
            }
        }
        return -1;
    }

    /** This process's resident set size in bytes, or -1 where /proc cannot tell. */
    static long rss() {
        return rss(ProcessHandle.current().pid());
    }

    /** The resident set size of process {@code pid} ({@code VmRSS} in /proc/pid/status), or -1 if unknown. */
    static long rss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    String[] w = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(w[0]) * 1024; // kB
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc (not Linux), or the process is gone
        }
        return -1;
    }

    static double mb(long bytes) {
        return bytes < 0 ? -1 : bytes / MB;
    }
}
