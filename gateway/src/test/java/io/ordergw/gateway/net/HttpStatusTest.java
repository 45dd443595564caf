package io.ordergw.gateway.net;

import io.ordergw.codec.ApexError;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The HTTP status each APEX answer carries (api.md section 1): a client that only looks at the status must be able to
 * tell "retry later" (503) from "something is wrong on the server" (500), and "log in" (401) from "not allowed" (403).
 */
class HttpStatusTest
{
    @Test
    void eachAnswerHasTheStatusTheContractNames()
    {
        assertEquals(200, status(ApexError.NONE, Outbound.PLAIN));
        assertEquals(400, status(ApexError.INVALID_REQUEST, Outbound.PLAIN));
        assertEquals(401, status(ApexError.NOT_AUTHORIZED, Outbound.NOT_LOGGED_IN));
        assertEquals(403, status(ApexError.NOT_AUTHORIZED, Outbound.PLAIN));
        assertEquals(409, status(ApexError.OPERATION_FAILED, Outbound.PLAIN));
        assertEquals(503, status(ApexError.SERVER_ERROR, Outbound.BUSY), "a full queue: retry later");
        assertEquals(500, status(ApexError.SERVER_ERROR, Outbound.PLAIN), "the journal, the disk or the book");
        assertEquals(404, status(ApexError.NOT_FOUND, Outbound.PLAIN));
        assertEquals(404, status(ApexError.NOT_SUPPORTED, Outbound.PLAIN));
    }

    private static int status(final int errorCode, final int reason)
    {
        return Outbound.httpStatus(errorCode, reason).code();
    }
}
