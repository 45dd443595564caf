package io.ordergw.gateway.auth;

import io.ordergw.config.ConfigError;
import io.ordergw.config.OrderGwConfig;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UserDirectoryTest
{
    private static final String HASH = PasswordHasher.hash("alice-pw".toCharArray(), 1000);
    private static final String SECRET = "k3y-s3cret-do-not-print";

    @Test
    void readsUsersAndApiKeysFromTheConfiguration()
    {
        final UserDirectory directory = UserDirectory.fromConfig(config(
            "users {\n" +
            "  alice { user-id = 10, password-hash = \"" + HASH + "\", permissions = [Trading], accounts = [7, 3] }\n" +
            "  bob { user-id = 11, password-hash = \"" + HASH + "\", permissions = [Operator, Trading],\n" +
            "    oms-id = 4 }\n" +
            "  carol { user-id = 12, password-hash = \"" + HASH + "\", permissions = AccountReadOnly,\n" +
            "    accounts = [9] }\n" +
            "}\n" +
            "api-keys { \"AK-1\" { user = alice, secret = \"" + SECRET + "\" } }"));

        final User alice = directory.user("alice");
        assertEquals(10, alice.userId());
        assertEquals(1, alice.omsId(), "the gateway's OMS id by default");
        assertEquals(EnumSet.of(Permission.TRADING), alice.permissions());
        assertArrayEquals(new int[]{ 7, 3 }, alice.accounts());
        assertEquals(7, alice.defaultAccountId());
        assertTrue(PasswordHasher.verify(alice.passwordHash(), "alice-pw".toCharArray()));

        final User bob = directory.userById(11);
        assertEquals("bob", bob.name());
        assertEquals(4, bob.omsId());
        assertEquals(EnumSet.of(Permission.OPERATOR, Permission.TRADING), bob.permissions());
        assertEquals(0, bob.defaultAccountId());

        assertEquals(EnumSet.of(Permission.ACCOUNT_READ_ONLY), directory.user("carol").permissions());

        final ApiKey key = directory.apiKey("AK-1");
        assertSame(alice, key.user());
        assertEquals(3, directory.users().size());
        assertNull(directory.user("dave"));
        assertNull(directory.user("Alice"), "names are matched exactly");
        assertNull(directory.userById(99));
        assertNull(directory.apiKey("AK-2"));
    }

    @Test
    void noUsersConfiguredGivesAnEmptyDirectory()
    {
        final UserDirectory directory = UserDirectory.fromConfig(OrderGwConfig.defaults());

        assertTrue(directory.users().isEmpty());
        assertTrue(directory.apiKeys().isEmpty());
    }

    @Test
    void anUnknownPermissionNamesTheSetting()
    {
        final ConfigError error = error("users.alice { user-id = 1, password-hash = \"" + HASH +
            "\", permissions = [Trading, Admin] }");

        assertEquals("ordergw.gateway.users.alice.permissions: \"Admin\" is not Operator, Trading or AccountReadOnly",
            error.getMessage());
    }

    @Test
    void aMissingOrEmptyPermissionListNamesTheSetting()
    {
        assertEquals("ordergw.gateway.users.alice.permissions: is required",
            error("users.alice { user-id = 1, password-hash = \"" + HASH + "\" }").getMessage());
        assertEquals("ordergw.gateway.users.alice.permissions: must name at least one of Operator, Trading or " +
            "AccountReadOnly",
            error("users.alice { user-id = 1, password-hash = \"" + HASH + "\", permissions = [] }").getMessage());
    }

    @Test
    void aBadPasswordHashNamesTheSettingWithoutQuotingIt()
    {
        final String[] bad = {
            "letmein",
            "bcrypt$1000$AQIDBAUGBwgJCgsMDQ4PEA==$YwKfNMrnHLcz6zlkYSHCNthMmUVmRkplZtxCdAZgV8M=",
            "pbkdf2-sha256$many$AQIDBAUGBwgJCgsMDQ4PEA==$YwKfNMrnHLcz6zlkYSHCNthMmUVmRkplZtxCdAZgV8M=",
            "pbkdf2-sha256$1000$AQIDBAUGBwgJCgsMDQ4PEA==$not~base64~at~all",
            "pbkdf2-sha256$1000$AQIDBAUGBwgJCgsMDQ4PEA==",
        };
        for (final String hash : bad)
        {
            final ConfigError error = error(
                "users.alice { user-id = 1, password-hash = \"" + hash + "\", permissions = [Trading] }");

            assertTrue(error.getMessage().startsWith("ordergw.gateway.users.alice.password-hash: must be " +
                "pbkdf2-sha256$<iterations>$<salt base64>$<hash base64>"), error.getMessage());
            assertFalse(error.getMessage().contains(hash), error.getMessage());
        }
    }

    @Test
    void aMissingPasswordHashNamesTheSetting()
    {
        assertEquals("ordergw.gateway.users.alice.password-hash: is required",
            error("users.alice { user-id = 1, permissions = [Trading] }").getMessage());
    }

    @Test
    void aMissingOrBadUserIdNamesTheSetting()
    {
        assertEquals("ordergw.gateway.users.alice.user-id: is required",
            error("users.alice { password-hash = \"" + HASH + "\", permissions = [Trading] }").getMessage());
        assertEquals("ordergw.gateway.users.alice.user-id: must be > 0 (got 0)",
            error("users.alice { user-id = 0, password-hash = \"" + HASH + "\", permissions = [Trading] }")
                .getMessage());
    }

    @Test
    void aUserIdUsedTwiceNamesTheSecondUser()
    {
        final ConfigError error = error(
            "users.alice { user-id = 5, password-hash = \"" + HASH + "\", permissions = [Trading] }\n" +
            "users.bob { user-id = 5, password-hash = \"" + HASH + "\", permissions = [Trading] }");

        assertEquals("ordergw.gateway.users.bob.user-id: 5 is already the user id of \"alice\"", error.getMessage());
    }

    @Test
    void aBadAccountIdNamesTheSetting()
    {
        final ConfigError error = error(
            "users.alice { user-id = 1, password-hash = \"" + HASH + "\", permissions = [Trading], " +
            "accounts = [4, 0] }");

        assertTrue(error.getMessage().startsWith("ordergw.gateway.users.alice.accounts: must be > 0"),
            error.getMessage());
    }

    @Test
    void aMisspeltKeyInAUserIsRefusedRatherThanIgnored()
    {
        final ConfigError error = error(
            "users.alice { user-id = 1, password-hash = \"" + HASH + "\", permissions = [Trading], acounts = [4] }");

        assertEquals("ordergw.gateway.users.alice.acounts: unknown setting (expected user-id, password-hash, " +
            "permissions, accounts, oms-id, trade-revisions)", error.getMessage());
    }

    @Test
    void aUserThatIsNotAnObjectNamesTheSetting()
    {
        final ConfigError error = error("users.alice = Trading");

        assertTrue(error.getMessage().startsWith("ordergw.gateway.users.alice: must be an object"), error.getMessage());
    }

    @Test
    void anApiKeyForAnUnknownUserNamesTheSetting()
    {
        final ConfigError error = error(
            "users.alice { user-id = 1, password-hash = \"" + HASH + "\", permissions = [Trading] }\n" +
            "api-keys { AK1 { user = mallory, secret = \"" + SECRET + "\" } }");

        assertEquals("ordergw.gateway.api-keys.AK1.user: \"mallory\" is not a user in ordergw.gateway.users",
            error.getMessage());
    }

    @Test
    void anApiKeyWithoutASecretOrWithAStrayKeyNamesTheSetting()
    {
        final String alice = "users.alice { user-id = 1, password-hash = \"" + HASH + "\", permissions = [Trading] }\n";

        assertEquals("ordergw.gateway.api-keys.AK1.secret: is required",
            error(alice + "api-keys.AK1 { user = alice }").getMessage());
        assertEquals("ordergw.gateway.api-keys.AK1.secret: must not be empty",
            error(alice + "api-keys.AK1 { user = alice, secret = \"\" }").getMessage());
        final ConfigError stray = error(alice + "api-keys.AK1 { user = alice, secret = \"" + SECRET + "\", usr = x }");
        assertEquals("ordergw.gateway.api-keys.AK1.usr: unknown setting (expected user, secret)", stray.getMessage());
        assertFalse(stray.getMessage().contains(SECRET));
    }

    @Test
    void aKeyWithDotsIsQuotedInThePath()
    {
        final ConfigError error = error(
            "users.alice { user-id = 1, password-hash = \"" + HASH + "\", permissions = [Trading] }\n" +
            "api-keys { \"a.b\" { user = nobody, secret = x } }");

        assertTrue(error.getMessage().startsWith("ordergw.gateway.api-keys.\"a.b\".user:"), error.getMessage());
    }

    @Test
    void toStringNamesUsersButNoHashOrSecret()
    {
        final UserDirectory directory = UserDirectory.fromConfig(config(
            "users.alice { user-id = 1, password-hash = \"" + HASH + "\", permissions = [Trading] }\n" +
            "api-keys { AK1 { user = alice, secret = \"" + SECRET + "\" } }"));

        final String text = directory + " " + directory.apiKey("AK1") + " " + directory.user("alice");

        assertTrue(text.contains("alice") && text.contains("AK1"), text);
        assertFalse(text.contains(SECRET), text);
        assertFalse(text.contains(HASH.split("\\$")[3]), text);
    }

    @Test
    void theDemoDirectoryHasAnOperatorAndATraderSharingThePassword()
    {
        final UserDirectory demo = UserDirectory.demo("demo-pw", 3);

        final User operator = demo.user("operator");
        assertEquals(1, operator.userId());
        assertEquals(3, operator.omsId());
        assertEquals(EnumSet.of(Permission.OPERATOR), operator.permissions());
        assertEquals(0, operator.accounts().length);
        assertTrue(operator.canAccess(42));

        final User trader = demo.user("trader");
        assertEquals(2, trader.userId());
        assertEquals(EnumSet.of(Permission.TRADING), trader.permissions());
        assertArrayEquals(new int[]{ 1 }, trader.accounts());
        assertFalse(trader.canAccess(2));

        assertTrue(PasswordHasher.verify(operator.passwordHash(), "demo-pw".toCharArray()));
        assertTrue(PasswordHasher.verify(trader.passwordHash(), "demo-pw".toCharArray()));
        assertFalse(PasswordHasher.verify(trader.passwordHash(), "other".toCharArray()));
        assertFalse(operator.passwordHash().contains("demo-pw"));
        assertThrows(IllegalArgumentException.class, () -> UserDirectory.demo("", 1));
    }

    @Test
    void withUsersAddsTheDemoUsersToTheConfiguredOnes()
    {
        final UserDirectory configured = UserDirectory.fromConfig(config(
            "users.alice { user-id = 10, password-hash = \"" + HASH + "\", permissions = [Trading] }\n" +
            "api-keys { AK1 { user = alice, secret = \"" + SECRET + "\" } }"));

        final UserDirectory both = configured.withUsers(UserDirectory.demo("demo-pw", 1));

        assertEquals(3, both.users().size());
        assertNotNull(both.user("alice"));
        assertNotNull(both.user("operator"));
        assertEquals("trader", both.userById(2).name());
        assertNotNull(both.apiKey("AK1"));
        assertNull(configured.user("operator"), "the original is unchanged");
    }

    @Test
    void withUsersRefusesAClashOfNamesOrIds()
    {
        final UserDirectory sameId = UserDirectory.fromConfig(config(
            "users.alice { user-id = 1, password-hash = \"" + HASH + "\", permissions = [Trading] }"));
        final UserDirectory sameName = UserDirectory.of(List.of(
            new User("trader", 50, 1, EnumSet.of(Permission.TRADING), new int[0], HASH)), List.of());
        final UserDirectory demo = UserDirectory.demo("demo-pw", 1);

        final IllegalArgumentException idClash =
            assertThrows(IllegalArgumentException.class, () -> sameId.withUsers(demo));
        assertTrue(idClash.getMessage().contains("user id 1"), idClash.getMessage());
        assertThrows(IllegalArgumentException.class, () -> sameName.withUsers(demo));
    }

    private static OrderGwConfig config(final String gatewayBody)
    {
        return OrderGwConfig.parse("ordergw.gateway {\n" + gatewayBody + "\n}");
    }

    private static ConfigError error(final String gatewayBody)
    {
        return assertThrows(ConfigError.class, () -> UserDirectory.fromConfig(config(gatewayBody)));
    }
}
