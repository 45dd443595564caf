package io.ordergw.gateway.feed;

import io.ordergw.feed.client.TailFeed;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code ordergw tail-feed}: the feed client's {@link TailFeed} from the gateway's launcher, on a media driver of its
 * own (the gateway's class path has one), so that a running gateway's UDP feed can be watched with nothing else.
 */
@Command(name = "tail-feed",
    description = "Print a running gateway's UDP feed, one event a line, from a SeqNum if asked (--help for the "
        + "options; the channels are the ones the gateway printed at start).")
public final class TailFeedCommand implements Callable<Integer>
{
    @Unmatched
    private List<String> args = new ArrayList<>();

    @Override
    public Integer call()
    {
        final List<String> all = new ArrayList<>(args);
        if (!all.contains("--aeron-dir") && !all.contains("--embedded-driver"))
        {
            all.add("--embedded-driver");
        }
        return TailFeed.runUntilSignalled(all.toArray(new String[0]));
    }
}
