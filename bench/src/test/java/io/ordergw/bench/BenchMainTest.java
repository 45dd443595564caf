package io.ordergw.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchMainTest
{
    private static final String FLAGS =
        "-Dchronicle.analytics.disable=true --add-opens=java.base/java.lang=ALL-UNNAMED";

    @Test
    void shouldLeaveTheArgumentsAloneWhenForksInheritTheFlags()
    {
        final String[] args = {"Decode", "-f", "1"};
        assertArrayEquals(args, BenchMain.withFlags(args, true, FLAGS));
    }

    @Test
    void shouldAppendTheFlagsToTheForksOtherwise()
    {
        assertArrayEquals(new String[]{"Decode", "-jvmArgsAppend", FLAGS},
            BenchMain.withFlags(new String[]{"Decode"}, false, FLAGS));
    }

    @Test
    void shouldMergeWithTheCallersOwnAppendedArguments()
    {
        assertArrayEquals(new String[]{"-jvmArgsAppend", "-Xmx2g " + FLAGS, "Decode"},
            BenchMain.withFlags(new String[]{"-jvmArgsAppend", "-Xmx2g", "Decode"}, false, FLAGS));
    }

    @Test
    void shouldShipTheFlagsOfTheRootPom()
    {
        assertTrue(JvmFlags.flags().contains(JvmFlags.MARKER), JvmFlags.flags().toString());
    }
}
