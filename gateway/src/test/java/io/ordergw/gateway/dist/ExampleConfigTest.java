package io.ordergw.gateway.dist;

import io.ordergw.config.OrderGwConfig;
import io.ordergw.gateway.LogSettings;
import io.ordergw.gateway.auth.PasswordHasher;
import io.ordergw.gateway.auth.Permission;
import io.ordergw.gateway.auth.User;
import io.ordergw.gateway.auth.UserDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The example configuration the distribution ships ({@code src/dist/conf/ordergw.conf}, the tarball's
 * {@code conf/ordergw.conf}) passes the config module's validation as shipped, and its commented users and API key,
 * once uncommented with a real hash and secret in place of the placeholders, are users the gateway accepts.
 */
class ExampleConfigTest
{
    private static final Path EXAMPLE = Path.of("src/dist/conf/ordergw.conf");
    private static final String HASH_PLACEHOLDER = "<output of bin/ordergw hash-password>";
    private static final String SECRET_PLACEHOLDER = "<a long random secret, e.g. openssl rand -hex 32>";

    @TempDir
    Path dir;

    @Test
    void loadsAsShippedWithNoUsersOnLoopback() throws Exception
    {
        final OrderGwConfig config = OrderGwConfig.load(EXAMPLE);
        LogSettings.apply(config);

        assertEquals("127.0.0.1", config.gateway.host);
        assertEquals(8086, config.gateway.port);
        assertEquals(1, config.omsId);
        assertTrue(UserDirectory.fromConfig(config).users().isEmpty(), "no user until the operator adds one");
    }

    @Test
    void itsCommentedUsersAndApiKeyAreValidOnceUncommented() throws Exception
    {
        final String text = Files.readString(EXAMPLE, StandardCharsets.UTF_8);
        assertTrue(text.contains(HASH_PLACEHOLDER) && text.contains(SECRET_PLACEHOLDER), "the placeholders are there");
        final Path edited = dir.resolve("ordergw.conf");
        Files.writeString(edited, uncommentSections(text, "users {", "api-keys {")
            .replace(HASH_PLACEHOLDER, PasswordHasher.hash("a-password".toCharArray(), 1_000))
            .replace(SECRET_PLACEHOLDER, "0123456789abcdef0123456789abcdef"), StandardCharsets.UTF_8);

        final UserDirectory users = UserDirectory.fromConfig(OrderGwConfig.load(edited));

        assertEquals(3, users.users().size(), users.toString());
        final User exchange = users.user("exchange");
        assertEquals(Set.of(Permission.OPERATOR), exchange.permissions());
        final User trader = users.user("trader");
        assertEquals(Set.of(Permission.TRADING), trader.permissions());
        assertArrayEquals(new int[]{1}, trader.accounts());
        assertEquals(Set.of(Permission.ACCOUNT_READ_ONLY), users.user("risk").permissions());
        assertEquals(trader, users.apiKey("AK-trader-1").user());
    }

    /** Remove the "# " of every commented line inside the named sections (up to their closing brace). */
    private static String uncommentSections(final String text, final String... openings)
    {
        final List<String> out = new ArrayList<>();
        boolean inside = false;
        for (final String line : text.split("\n", -1))
        {
            final String trimmed = line.trim();
            if (inside && trimmed.equals("}"))
            {
                inside = false;
            }
            out.add(inside && trimmed.startsWith("# ") ? line.replaceFirst("# ", "") : line);
            for (final String opening : openings)
            {
                if (trimmed.equals(opening))
                {
                    inside = true;
                }
            }
        }
        return String.join("\n", out);
    }
}
