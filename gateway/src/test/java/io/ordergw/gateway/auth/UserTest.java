package io.ordergw.gateway.auth;

import org.junit.jupiter.api.Test;

import java.util.EnumSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UserTest
{
    private static final String HASH = PasswordHasher.hash("pw".toCharArray(), 1000);

    @Test
    void permissionNamesParseInAnyLetterCase()
    {
        assertEquals(Permission.OPERATOR, Permission.parse("Operator"));
        assertEquals(Permission.TRADING, Permission.parse("TRADING"));
        assertEquals(Permission.ACCOUNT_READ_ONLY, Permission.parse("accountreadonly"));
        assertEquals(Permission.ACCOUNT_READ_ONLY, Permission.parse("account_read_only"));
        assertEquals("AccountReadOnly", Permission.ACCOUNT_READ_ONLY.apexName());
    }

    @Test
    void anUnknownPermissionNameIsRefusedWithItsName()
    {
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> Permission.parse("Admin"));

        assertEquals("\"Admin\" is not Operator, Trading or AccountReadOnly", ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Permission.parse(null));
        assertThrows(IllegalArgumentException.class, () -> Permission.parse(""));
    }

    @Test
    void anOperatorReachesEveryAccountButHoldsOnlyItsOwnPermission()
    {
        final User operator = new User("op", 1, 1, EnumSet.of(Permission.OPERATOR), new int[0], HASH);

        assertTrue(operator.has(Permission.OPERATOR));
        assertFalse(operator.has(Permission.TRADING));
        assertFalse(operator.has(Permission.ACCOUNT_READ_ONLY));
        assertTrue(operator.canAccess(1));
        assertTrue(operator.canAccess(987_654));
        assertEquals(0, operator.defaultAccountId());
    }

    @Test
    void aTraderReachesOnlyItsOwnAccounts()
    {
        final User trader = new User("t", 2, 1, EnumSet.of(Permission.TRADING), new int[]{ 7, 3 }, HASH);

        assertTrue(trader.has(Permission.TRADING));
        assertFalse(trader.has(Permission.OPERATOR));
        assertFalse(trader.has(Permission.ACCOUNT_READ_ONLY));
        assertTrue(trader.canAccess(7));
        assertTrue(trader.canAccess(3));
        assertFalse(trader.canAccess(5));
        assertFalse(trader.canAccess(0));
        assertEquals(7, trader.defaultAccountId(), "the first configured account");
    }

    @Test
    void aReadOnlyUserReachesOnlyItsOwnAccounts()
    {
        final User reader = new User("r", 3, 1, EnumSet.of(Permission.ACCOUNT_READ_ONLY), new int[]{ 9 }, HASH);

        assertTrue(reader.has(Permission.ACCOUNT_READ_ONLY));
        assertFalse(reader.has(Permission.TRADING));
        assertFalse(reader.has(Permission.OPERATOR));
        assertTrue(reader.canAccess(9));
        assertFalse(reader.canAccess(1));
    }

    @Test
    void accountsKeepTheirOrderDropRepeatsAndCannotBeChangedFromOutside()
    {
        final int[] given = { 5, 2, 5, 9 };
        final User user = new User("u", 4, 1, EnumSet.of(Permission.TRADING), given, HASH);
        given[0] = 99;
        user.accounts()[0] = 99;

        assertArrayEquals(new int[]{ 5, 2, 9 }, user.accounts());
        assertFalse(user.canAccess(99));
    }

    @Test
    void toStringShowsTheUserButNotThePasswordHash()
    {
        final User user = new User("alice", 5, 2, EnumSet.of(Permission.TRADING), new int[]{ 1 }, HASH);

        final String text = user.toString();

        assertTrue(text.contains("alice") && text.contains("Trading"), text);
        assertFalse(text.contains(HASH.split("\\$")[3]), text);
        assertFalse(text.contains("pbkdf2"), text);
    }

    @Test
    void aUserNeedsAWellFormedHashAndPositiveIds()
    {
        final EnumSet<Permission> trading = EnumSet.of(Permission.TRADING);

        assertThrows(IllegalArgumentException.class, () -> new User("u", 1, 1, trading, new int[0], "clear-text"));
        assertThrows(IllegalArgumentException.class, () -> new User("u", 0, 1, trading, new int[0], HASH));
        assertThrows(IllegalArgumentException.class, () -> new User("u", 1, 0, trading, new int[0], HASH));
        assertThrows(IllegalArgumentException.class, () -> new User("u", 1, 1, trading, new int[]{ 0 }, HASH));
        assertThrows(IllegalArgumentException.class, () -> new User(" ", 1, 1, trading, new int[0], HASH));
    }
}
