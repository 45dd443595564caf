package io.ordergw.gateway.stat;

import io.ordergw.gateway.SystemTest;
import io.ordergw.codec.OrderGwCounters;
import io.ordergw.gateway.ApexClient;
import io.ordergw.gateway.GatewayHarness;
import io.ordergw.gateway.Main;
import org.agrona.concurrent.status.CountersReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.ordergw.gateway.ApexAssertions.assertRefusal;
import static io.ordergw.gateway.ApexAssertions.sendAcked;
import static io.ordergw.gateway.ApexAssertions.sendRefused;
import static io.ordergw.gateway.OrderEventJson.order;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ordergw stat} against a running gateway: it reads the counters file from the data directory, as another
 * process would, and prints every counter with its type id, k@SystemTest
ey, value and label.
 */
@Timeout(60)
class StatCommandTest
{
    private static final Pattern LINE =
        Pattern.compile("^\\s*(\\d+)\\s+(\\d+)\\s+(\\S*(?: transport=\\S+)?)\\s+([\\d,]+)\\s{2}(.*)$");

    @TempDir
    Path dir;

    /** One printed counter. */
    record Row(int id, int typeId, String key, long value, String label)
    {
    }

    @Test
    void listsEveryCounterWithItsTypeIdKeyAndValueAfterOrders() throws Exception
    {
        try (GatewayHarness harness = new GatewayHarness(dir))
        {
            try (ApexClient operator = harness.login("operator"))
            {
                sendAcked(operator, order(8_001));
                sendAcked(operator, order(8_002));
                sendAcked(operator, order(8_003).raw("orderFlag", "4").text("reason", "collar"));
                assertRefusal(sendRefused(operator, order(8_003).raw("orderFlag", "2")), 101, "Rejected");
            }
            final CountersReader counters = harness.gateway.counters();
            CounterRegistryEndToEndTest.awaitZero(counters, OrderGwCounters.find(
                counters, OrderGwCounters.JOURNAL_LAG_TYPE_ID, OrderGwCounters.CONSUMER_ROUTER));

            final String[] output = stat("--data-dir", dir.toString());
            assertEquals("0", output[1], output[2]);
            assertTrue(output[0].contains("pid " + ProcessHandle.current().pid() + " (running)"), output[0]);
            final List<Row> rows = rows(output[0]);
            final int[] allocated = {0};
            counters.forEach((counterId, typeId, key, label) -> allocated[0]++);
            assertEquals(allocated[0], rows.size(), "one line per counter:\n" + output[0]);

            assertEquals(3, value(rows, OrderGwCounters.ENGINE_EVENTS_APPLIED_TYPE_ID, ""));
            assertEquals(4, value(rows, OrderGwCounters.ENGINE_COMMANDS_RECEIVED_TYPE_ID, ""));
            assertEquals(3, value(rows, OrderGwCounters.ENGINE_JOURNAL_SEQNUM_TYPE_ID, ""));
            assertEquals(1, value(rows, OrderGwCounters.ENGINE_REFUSED_TYPE_ID, "code=101"));
            assertEquals(0, value(rows, OrderGwCounters.ENGINE_REFUSED_TYPE_ID, "code=100"));
            assertEquals(3, value(rows, OrderGwCounters.GATEWAY_ROUTED_SEQNUM_TYPE_ID, ""));
            assertEquals(1, value(rows, OrderGwCounters.GATEWAY_LOGINS_TYPE_ID, ""));
            assertEquals(0, value(rows, OrderGwCounters.JOURNAL_LAG_TYPE_ID, "consumer=router"));
            assertEquals(1024 * 1024, value(rows, OrderGwCounters.RING_CAPACITY_TYPE_ID, "ring=ingress"));
            assertEquals(3, value(rows, OrderGwCounters.FEED_PUBLISHED_SEQNUM_TYPE_ID, "stream=1001 transport=ipc"));
            for (final Row row : rows)
            {
                assertEquals(counters.getCounterLabel(row.id), row.label, "label of counter " + row.id);
                assertEquals(counters.getCounterTypeId(row.id), row.typeId, "type id of counter " + row.id);
            }

            final String[] refusals = stat("--data-dir", dir.toString(), "--type",
                Integer.toString(OrderGwCounters.ENGINE_REFUSED_TYPE_ID));
            final List<Row> refused = rows(refusals[0]);
            assertEquals(4, refused.size(), refusals[0]);
            assertEquals(List.of("code=100", "code=101", "code=102", "code=104"),
                refused.stream().map(Row::key).toList());
        }
    }

    @Test
    void saysSoWhenNoGatewayHasRunOnTheDataDirectory()
    {
        final String[] output = stat("--data-dir", dir.toString());
        assertEquals(Integer.toString(StatCommand.EXIT_NO_COUNTERS), output[1]);
        assertTrue(output[2].contains("no counters file " + dir.resolve(CountersFile.FILE_NAME).toAbsolutePath()),
            output[2]);
    }

    /** Output, exit status, error output. */
    private static String[] stat(final String... args)
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final String[] all = new String[args.length + 1];
        all[0] = "stat";
        System.arraycopy(args, 0, all, 1, args.length);
        final int status = new CommandLine(new Main()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
            .execute(all);
        return new String[]{out.toString(), Integer.toString(status), err.toString()};
    }

    private static List<Row> rows(final String output)
    {
        final List<Row> rows = new ArrayList<>();
        final String[] lines = output.split("\n");
        for (int i = 2; i < lines.length; i++)
        {
            final Matcher m = LINE.matcher(lines[i]);
            assertTrue(m.matches(), "a counter line: '" + lines[i] + "'");
            rows.add(new Row(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), m.group(3),
                Long.parseLong(m.group(4).replace(",", "")), m.group(5)));
        }
        return rows;
    }

    private static long value(final List<Row> rows, final int typeId, final String key)
    {
        final List<Row> found = rows.stream().filter(r -> r.typeId == typeId && r.key.equals(key)).toList();
        assertEquals(1, found.size(), "one counter of type " + typeId + " key '" + key + "': " + found);
        return found.get(0).value;
    }
}
