package io.ordergw.engine;

import io.ordergw.codec.sbe.QueryReplyDecoder;
import io.ordergw.codec.sbe.ReplyDecoder;
import io.ordergw.config.OrderGwConfig;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A child process for crash tests: runs the engine on its own thread over a data directory and sends commands
 * {@code from..from+count-1} of a seeded {@link RandomCommands} stream one at a time, printing
 * {@code ACK <index> <errorCode> <seqNum>} as each reply arrives, until the parent kills it.
 */
public final class CrashChild
{
    public static void main(final String[] args) throws Exception
    {
        final Path dir = Path.of(args[0]);
        final long seed = Long.parseLong(args[1]);
        final long from = Long.parseLong(args[2]);
        final long count = Long.parseLong(args[3]);
        final OrderGwConfig config = OrderGwConfig.parse("ordergw.data-dir = \"" + dir + "\"\n" +
            "ordergw.engine.idle-strategy = backoff\nordergw.journal.min-free-space = 0\n");
        final EngineContext context = new EngineContext().config(config).snapshotInterval(Duration.ofMillis(50));
        try (Engine engine = Engine.launch(context))
        {
            System.out.println("STARTED " + engine.recovery().book.lastSeqNum());
            final EngineProxy proxy = new EngineProxy(context.ingressRing());
            final long[] reply = new long[3];
            final EngineResponseAdapter adapter = new EngineResponseAdapter(context.egressRing(), new EngineResponseAdapter.Listener()
            {
                public void onReply(final ReplyDecoder r)
                {
                    reply[0] = 1;
                    reply[1] = r.errorCode();
                    reply[2] = r.seqNum();
                }

                public void onQueryReply(final QueryReplyDecoder r)
                {
                }
            });
            final RandomCommands commands = new RandomCommands(seed, 50);
            for (long i = 0; i < from; i++)
            {
                commands.next();
            }
            for (long i = from; i < from + count; i++)
            {
                final Commands command = commands.next();
                final UnsafeBuffer buffer = command.encode();
                while (!proxy.offer(buffer, 0, command.length()))
                {
                    Thread.onSpinWait();
                }
                reply[0] = 0;
                while (reply[0] == 0)
                {
                    if (adapter.poll(1) == 0)
                    {
                        Thread.onSpinWait();
                    }
                }
                System.out.println("ACK " + i + " " + reply[1] + " " + reply[2]);
            }
            System.out.println("DONE");
            System.out.flush();
        }
    }
}
