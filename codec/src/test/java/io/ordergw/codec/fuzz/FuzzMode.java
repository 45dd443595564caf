package io.ordergw.codec.fuzz;

import java.util.Locale;

/**
 * Whether Jazzer fuzzes ({@code JAZZER_FUZZ=1}) or replays the corpus (plain JUnit, CI).
 * <p>
 * In regression mode the fuzz tests need none of Jazzer's bytecode hooks: their assertions are the oracle. Left on,
 * the hooks instrument every class loaded after the first fuzz test, in the same test JVM as the module's other
 * tests, and make garbage-free code allocate (AllocationTest fails after them). So regression mode turns them off
 * before Jazzer configures its agent; fuzzing keeps them, for coverage and comparison tracing.
 */
final class FuzzMode
{
    private FuzzMode()
    {
    }

    /**
     * Call from a {@code @BeforeAll} of every fuzz test class.
     */
    static void configure()
    {
        if (!isFuzzing() && System.getProperty("jazzer.hooks") == null)
        {
            System.setProperty("jazzer.hooks", "false");
        }
    }

    /**
     * Whether this run fuzzes.
     *
     * @return true with JAZZER_FUZZ (or jazzer.fuzz) set to a true value.
     */
    static boolean isFuzzing()
    {
        final String value = System.getenv("JAZZER_FUZZ") != null ? System.getenv("JAZZER_FUZZ") :
            System.getProperty("jazzer.fuzz", "");
        final String v = value.trim().toLowerCase(Locale.ROOT);
        return v.equals("1") || v.equals("true") || v.equals("yes");
    }
}
