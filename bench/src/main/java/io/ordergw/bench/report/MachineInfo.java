package io.ordergw.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * What the figures were measured on: cores, memory, CPU model, JDK, OS, date, and how busy the (shared) machine was.
 */
public final class MachineInfo
{
    /** Cores this JVM sees ({@code nproc}). */
    public final int cores;
    /** MemTotal from /proc/meminfo. */
    public final String memory;
    /** "model name" from /proc/cpuinfo. */
    public final String cpuModel;
    /** JDK vendor and version. */
    public final String jdk;
    /** OS name, version, architecture. */
    public final String os;
    /** When (UTC). */
    public final String date;

    private MachineInfo(final int cores, final String memory, final String cpuModel, final String jdk, final String os,
        final String date)
    {
        this.cores = cores;
        this.memory = memory;
        this.cpuModel = cpuModel;
        this.jdk = jdk;
        this.os = os;
        this.date = date;
    }

    /**
     * This machine, now.
     *
     * @return the facts.
     */
    public static MachineInfo now()
    {
        final String memTotal = firstValue(Path.of("/proc/meminfo"), "MemTotal");
        String memory = memTotal;
        if (memTotal != null && memTotal.endsWith("kB"))
        {
            final long kb = Long.parseLong(memTotal.replace("kB", "").trim());
            memory = String.format(Locale.ROOT, "%.1f GiB", kb / (1024.0 * 1024.0));
        }
        return new MachineInfo(
            Runtime.getRuntime().availableProcessors(),
            memory == null ? "unknown" : memory,
            orUnknown(firstValue(Path.of("/proc/cpuinfo"), "model name")),
            System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name") + " " +
                System.getProperty("java.runtime.version"),
            System.getProperty("os.name") + " " + System.getProperty("os.version") + " " +
                System.getProperty("os.arch"),
            ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")));
    }

    /**
     * How busy the machine is: the load averages and, where the kernel has it, the CPU pressure (the share of time
     * runnable tasks waited for a core).
     *
     * @return e.g. "load 1.2 0.8 0.5; cpu pressure some avg60=3.5%".
     */
    public static String load()
    {
        final StringBuilder sb = new StringBuilder();
        try
        {
            final String[] loadavg = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            sb.append("load average ").append(loadavg[0]).append(' ').append(loadavg[1]).append(' ').append(loadavg[2]);
        }
        catch (final IOException | RuntimeException ex)
        {
            sb.append("load average unknown");
        }
        try
        {
            final List<String> pressure = Files.readAllLines(Path.of("/proc/pressure/cpu"));
            for (final String line : pressure)
            {
                if (line.startsWith("some"))
                {
                    for (final String field : line.split("\\s+"))
                    {
                        if (field.startsWith("avg60="))
                        {
                            sb.append("; CPU pressure (tasks waiting for a core) ").append(field.substring(6))
                                .append("% over the last minute");
                        }
                    }
                }
            }
        }
        catch (final IOException | RuntimeException ignore)
        {
            // no PSI on this kernel
        }
        return sb.toString();
    }

    private static String orUnknown(final String value)
    {
        return value == null ? "unknown" : value;
    }

    private static String firstValue(final Path file, final String key)
    {
        try
        {
            for (final String line : Files.readAllLines(file))
            {
                final int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equals(key))
                {
                    return line.substring(colon + 1).trim();
                }
            }
        }
        catch (final IOException | RuntimeException ignore)
        {
            // not Linux
        }
        return null;
    }
}
