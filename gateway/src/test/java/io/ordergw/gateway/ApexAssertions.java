package io.ordergw.gateway;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the end-to-end tests check again and again: acknowledgements, refusals with their exact APEX texts,
 * subscriptions and the number formats of the order object.
 */
public final class ApexAssertions
{
    /** How long to wait for an event that must come. */
    public static final long EVENT_TIMEOUT_MS = 10_000;

    private ApexAssertions()
    {
    }

    /**
     * Send an event as the operator and check it was acknowledged: m=1, same n, result true, a SeqNum.
     *
     * @param operator the operator's client.
     * @param event    the payload.
     * @return the SeqNum.
     * @throws Exception on failure.
     */
    public static long sendAcked(final ApexClient operator, final OrderEventJson event) throws Exception
    {
        final ApexClient.Frame reply = operator.call("SendExchangeOrderStateEvent", event.json());
        assertEquals(1, reply.m, reply.raw);
        assertEquals("SendExchangeOrderStateEvent", reply.n, reply.raw);
        final Map<String, Object> payload = reply.payload();
        assertEquals(true, payload.get("result"), reply.raw);
        assertEquals(0L, payload.get("errorcode"), reply.raw);
        assertTrue(payload.containsKey("errormsg") && payload.get("errormsg") == null, reply.raw);
        final Object seqNum = payload.get("SeqNum");
        assertNotNull(seqNum, reply.raw);
        return ((Number)seqNum).longValue();
    }

    /**
     * Send an event as the operator and return the refusal's payload.
     *
     * @param operator the operator's client.
     * @param event    the payload.
     * @return the standard response.
     * @throws Exception on failure.
     */
    public static Map<String, Object> sendRefused(final ApexClient operator, final OrderEventJson event)
        throws Exception
    {
        final ApexClient.Frame reply = operator.call("SendExchangeOrderStateEvent", event.json());
        assertEquals(1, reply.m, reply.raw);
        assertEquals(false, reply.payload().get("result"), reply.raw);
        assertFalse(reply.payload().containsKey("SeqNum"), reply.raw);
        return reply.payload();
    }

    /**
     * Check a standard response is a refusal with a code, its exact APEX errormsg and a detail containing a text.
     *
     * @param payload        the standard response.
     * @param errorCode      the expected code.
     * @param detailContains what the detail must contain (the field and the rule).
     */
    public static void assertRefusal(
        final Map<String, Object> payload, final int errorCode, final String detailContains)
    {
        final String text = String.valueOf(payload);
        assertEquals(false, payload.get("result"), text);
        assertEquals((long)errorCode, payload.get("errorcode"), text);
        assertEquals(errormsg(errorCode), payload.get("errormsg"), text);
        final Object detail = payload.get("detail");
        assertNotNull(detail, text);
        assertTrue(((String)detail).contains(detailContains),
            "detail should contain \"" + detailContains + "\": " + text);
    }

    /**
     * The exact APEX errormsg of a code (docs/api.md section 3).
     *
     * @param errorCode the code.
     * @return the text.
     */
    public static String errormsg(final int errorCode)
    {
        switch (errorCode)
        {
            case 20:
                return "Not Authorized";
            case 100:
                return "Invalid Response";
            case 101:
                return "Operation Failed";
            case 102:
                return "Server Error";
            case 104:
                return "Resource Not Found";
            case 106:
                return "Operation Not Supported";
            default:
                throw new IllegalArgumentException("no APEX error " + errorCode);
        }
    }

    /**
     * Subscribe to an account's events and check the reply.
     *
     * @param client     the client.
     * @param accountId  the account.
     * @param fromSeqNum FromSeqNum, or 0 to leave it out.
     * @return the Subscribe request's i, which every event frame carries.
     * @throws Exception on failure.
     */
    public static long subscribe(final ApexClient client, final int accountId, final long fromSeqNum) throws Exception
    {
        final long i = client.send("SubscribeAccountEvents", "{\"OMSId\":1,\"AccountId\":" + accountId +
            (fromSeqNum > 0 ? ",\"FromSeqNum\":" + fromSeqNum : "") + "}");
        final ApexClient.Frame reply = client.awaitReply(i);
        assertEquals(1, reply.m, reply.raw);
        assertEquals("SubscribeAccountEvents", reply.n, reply.raw);
        assertEquals(true, reply.payload().get("Subscribed"), reply.raw);
        assertEquals(true, reply.payload().get("Subscribe"), reply.raw);
        return i;
    }

    /**
     * The next event, which must come: an m=3 OrderStateEvent frame carrying the subscription's i.
     *
     * @param client      the subscriber.
     * @param subscribeI  the Subscribe request's i.
     * @return the frame.
     * @throws Exception on failure.
     */
    public static ApexClient.Frame nextEvent(final ApexClient client, final long subscribeI) throws Exception
    {
        final ApexClient.Frame event = client.nextEvent(EVENT_TIMEOUT_MS);
        assertNotNull(event, "no event within " + EVENT_TIMEOUT_MS + " ms");
        assertEquals(3, event.m, event.raw);
        assertEquals(subscribeI, event.i, event.raw);
        assertEquals("OrderStateEvent", event.n, event.raw);
        return event;
    }

    /**
     * The SeqNum of an order object.
     *
     * @param order the order object.
     * @return its SeqNum.
     */
    public static long seqNum(final Map<String, Object> order)
    {
        return ((Number)order.get("SeqNum")).longValue();
    }

    /**
     * Check a number in a payload's JSON text is written exactly so (plain notation, no trailing zeros).
     *
     * @param json     the payload text.
     * @param key      the key (its first occurrence).
     * @param expected the number as it must be written.
     */
    public static void assertNumberText(final String json, final String key, final String expected)
    {
        final String marker = "\"" + key + "\":";
        final int at = json.indexOf(marker);
        assertTrue(at >= 0, key + " missing in " + json);
        int end = at + marker.length();
        while (end < json.length() && json.charAt(end) != ',' && json.charAt(end) != '}')
        {
            end++;
        }
        assertEquals(expected, json.substring(at + marker.length(), end), key + " in " + json);
    }
}
