package io.ordergw.bench;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The JVM flags Agrona, Aeron and Chronicle Queue need, as the root pom's {@code ordergw.jvm.flags} property wrote
 * them at build time (resource {@code jvm.options} beside this class; the same text as
 * {@code bench/target/jvm.options}).
 * JMH forks and the gateway child process get them from here, so a fork never runs without
 * {@code -Dchronicle.analytics.disable=true}.
 */
public final class JvmFlags
{
    /** The flag whose presence says the host JVM was started with the flags. */
    public static final String MARKER = "-Dchronicle.analytics.disable=true";

    private JvmFlags()
    {
    }

    /**
     * The flags, one per element.
     *
     * @return the flags from the build.
     */
    public static List<String> flags()
    {
        try (InputStream in = JvmFlags.class.getResourceAsStream("jvm.options"))
        {
            if (in == null)
            {
                throw new IllegalStateException("jvm.options resource missing: build with mvn package -pl bench");
            }
            final String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            final List<String> flags = new ArrayList<>();
            for (final String flag : text.split("\\s+"))
            {
                if (!flag.isEmpty())
                {
                    flags.add(flag);
                }
            }
            return flags;
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot read jvm.options", ex);
        }
    }

    /**
     * Whether this JVM was started with the flags (java @bench/target/jvm.options ...): JMH forks inherit the host's
     * input arguments when no -jvmArgs is given, so then they have them too.
     *
     * @return true if the marker flag is among this JVM's input arguments.
     */
    public static boolean hostHasFlags()
    {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().contains(MARKER);
    }

    /**
     * The flags as one string, for JMH's {@code -jvmArgsAppend}.
     *
     * @return space-separated flags.
     */
    public static String joined()
    {
        return String.join(" ", flags());
    }
}
