package io.ordergw.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.openjdk.jmh.Main;

/**
 * The benchmarks jar's main: JMH's own command line ({@code java -jar bench/target/benchmarks.jar -h}), with one
 * addition: when this JVM was not started with the project's JVM flags, they are appended to every fork's
 * arguments ({@code -jvmArgsAppend}), so that Chronicle and Agrona work, and Chronicle's analytics stay off, however
 * the jar is started. (Started as {@code java @bench/target/jvm.options -jar ...}, the forks inherit them.)
 */
public final class BenchMain
{
    private BenchMain()
    {
    }

    /**
     * Run JMH.
     *
     * @param args JMH's arguments.
     * @throws Exception from JMH.
     */
    public static void main(final String[] args) throws Exception
    {
        Main.main(withFlags(args, JvmFlags.hostHasFlags(), JvmFlags.joined()));
    }

    /**
     * JMH arguments with the flags appended to the forks' JVM arguments, unless the host has them already or the
     * caller replaces the forks' arguments with {@code -jvmArgs}.
     *
     * @param args          JMH's arguments.
     * @param hostHasFlags  whether forks inherit the flags from this JVM.
     * @param flags         the flags, space separated.
     * @return the arguments to give JMH.
     */
    static String[] withFlags(final String[] args, final boolean hostHasFlags, final String flags)
    {
        final List<String> out = new ArrayList<>(Arrays.asList(args));
        if (hostHasFlags || out.contains("-jvmArgs"))
        {
            return args;
        }
        final int at = out.indexOf("-jvmArgsAppend");
        if (at >= 0 && at + 1 < out.size())
        {
            out.set(at + 1, out.get(at + 1) + " " + flags);
        }
        else
        {
            out.add("-jvmArgsAppend");
            out.add(flags);
        }
        return out.toArray(new String[0]);
    }
}
