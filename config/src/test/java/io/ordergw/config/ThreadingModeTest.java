package io.ordergw.config;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ThreadingModeTest
{
    @Test
    void theDefaultIsSharedAndEveryModeIsReadWhateverItsCase()
    {
        assertEquals(ThreadingMode.SHARED, OrderGwConfig.defaults().threadingMode);
        assertEquals(ThreadingMode.DEDICATED, OrderGwConfig.parse("ordergw.threading-mode = dedicated").threadingMode);
        assertEquals(ThreadingMode.INVOKER, OrderGwConfig.parse("ordergw.threading-mode = INVOKER").threadingMode);
    }

    @Test
    void anUnknownModeIsRefusedNamingTheSettingAndTheModes()
    {
        final ConfigError error = assertThrows(ConfigError.class,
            () -> OrderGwConfig.parse("ordergw.threading-mode = shared-network"));
        assertEquals("ordergw.threading-mode: must be DEDICATED, SHARED or INVOKER (got \"shared-network\")",
            error.getMessage());
    }

    @Test
    void theReplacedShareEngineThreadIsRefusedNamingItsSuccessor()
    {
        for (final String value : new String[]{"true", "false"})
        {
            final ConfigError error = assertThrows(ConfigError.class,
                () -> OrderGwConfig.parse("ordergw.publisher.share-engine-thread = " + value));
            assertEquals("ordergw.publisher.share-engine-thread: was replaced by ordergw.threading-mode " +
                "(DEDICATED, SHARED or INVOKER): remove it", error.getMessage());
        }
    }
}
