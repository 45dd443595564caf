package io.ordergw.feed.client;

import io.aeron.ChannelUri;
import io.aeron.CommonContext;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contexts a consumer starts from, built from the channels the gateway prints, and tail-feed's answers to bad
 * arguments: no driver needed.
 */
class FeedSubscriberContextTest
{
    private static final String UDP = "aeron:udp?control=127.0.0.1:40456|control-mode=dynamic|fc=max";
    private static final String REPLAY_CONTROL = "aeron:udp?endpoint=127.0.0.1:40457";

    @Test
    void udpJoinsTheDynamicChannelFromThisHostAndReceivesReplaysOnAFreePort()
    {
        final FeedSubscriber.Context context = FeedSubscriber.Context.udp(UDP, 1002, REPLAY_CONTROL, 1003, 1004,
            "10.0.0.7");
        final ChannelUri live = ChannelUri.parse(context.liveChannel());
        assertEquals("10.0.0.7:0", live.get(CommonContext.ENDPOINT_PARAM_NAME));
        assertEquals("127.0.0.1:40456", live.get(CommonContext.MDC_CONTROL_PARAM_NAME));
        assertEquals(CommonContext.MDC_CONTROL_MODE_DYNAMIC, live.get(CommonContext.MDC_CONTROL_MODE_PARAM_NAME));
    }

    @Test
    void udpRefusesPortZeroBecauseOnlyTheGatewayKnowsThePortItPicked()
    {
        final IllegalStateException control = assertThrows(IllegalStateException.class, () ->
            FeedSubscriber.Context.udp("aeron:udp?control=127.0.0.1:0|control-mode=dynamic", 1002, REPLAY_CONTROL,
                1003, 1004, "127.0.0.1"));
        assertTrue(control.getMessage().contains("port 0"), control.getMessage());
        final IllegalStateException replay = assertThrows(IllegalStateException.class, () ->
            FeedSubscriber.Context.udp(UDP, 1002, "aeron:udp?endpoint=127.0.0.1:0", 1003, 1004, "127.0.0.1"));
        assertTrue(replay.getMessage().contains("printed at start"), replay.getMessage());
        assertThrows(IllegalStateException.class, () ->
            FeedSubscriber.Context.udp("", 1002, REPLAY_CONTROL, 1003, 1004, "127.0.0.1"));
    }

    @Test
    void concludeNamesWhatIsMissing()
    {
        final IllegalStateException ex = assertThrows(IllegalStateException.class, () ->
            FeedSubscriber.Context.ipc(1001, 1003, 1004).conclude());
        assertEquals("FeedSubscriber.Context: aeron is required", ex.getMessage());
    }

    @Test
    void tailFeedAnswersABadOptionWithItsNameAndTheUsage()
    {
        assertUsage("tail-feed: --from must be 1 or more (got 0)",
            "--channel", UDP, "--replay-control-channel", REPLAY_CONTROL, "--from", "0");
        assertUsage("tail-feed: --stream must be a whole number (got \"x\")",
            "--channel", UDP, "--replay-control-channel", REPLAY_CONTROL, "--stream", "x");
        assertUsage("tail-feed: unknown option: --form", "--form", "1");
        assertUsage("tail-feed: --replay-control-channel is required", "--channel", UDP);
    }

    private static void assertUsage(final String firstLine, final String... args)
    {
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final int exitCode = TailFeed.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), new TailFeed.Stop());
        final String text = err.toString(StandardCharsets.UTF_8);
        assertEquals(TailFeed.EXIT_USAGE, exitCode, text);
        assertEquals(firstLine, text.lines().findFirst().orElse(""));
        assertTrue(text.contains("usage: tail-feed"), text);
        assertEquals("", out.toString(StandardCharsets.UTF_8), "nothing on stdout");
    }
}
