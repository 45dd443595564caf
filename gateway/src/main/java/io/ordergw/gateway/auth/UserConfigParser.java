package io.ordergw.gateway.auth;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.ordergw.config.ConfigError;
import io.ordergw.config.Settings;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reads and validates the free-form {@code ordergw.gateway.users} and {@code ordergw.gateway.api-keys} sections.
 * Every error is a {@link ConfigError} naming the full path of the setting; a misspelt key inside an entry is an
 * error too, because it would otherwise be ignored (an {@code acounts} typo would leave a user without accounts).
 * Messages never quote a password hash or a secret.
 */
final class UserConfigParser
{
    static final String USERS_PATH = "ordergw.gateway.users";
    static final String API_KEYS_PATH = "ordergw.gateway.api-keys";

    private static final String USER_ID = "user-id";
    private static final String PASSWORD_HASH = "password-hash";
    private static final String PERMISSIONS = "permissions";
    private static final String ACCOUNTS = "accounts";
    private static final String OMS_ID = "oms-id";
    private static final String TRADE_REVISIONS = "trade-revisions";
    private static final List<String> USER_KEYS =
        List.of(USER_ID, PASSWORD_HASH, PERMISSIONS, ACCOUNTS, OMS_ID, TRADE_REVISIONS);
    private static final String USER = "user";
    private static final String SECRET = "secret";
    private static final List<String> API_KEY_KEYS = List.of(USER, SECRET);

    private UserConfigParser()
    {
    }

    /**
     * Parse both sections.
     *
     * @param users        the users section, rooted at the section (keys are user names).
     * @param apiKeys      the api-keys section, rooted at the section (keys are API keys).
     * @param defaultOmsId the OMS id of users that do not set one.
     * @return the directory.
     * @throws ConfigError naming the first bad setting.
     */
    static UserDirectory parse(final Config users, final Config apiKeys, final int defaultOmsId)
    {
        final Map<String, User> byName = parseUsers(users.atPath(USERS_PATH), defaultOmsId);
        final List<ApiKey> keys = parseApiKeys(apiKeys.atPath(API_KEYS_PATH), byName);
        return UserDirectory.of(byName.values(), keys);
    }

    private static Map<String, User> parseUsers(final Config root, final int defaultOmsId)
    {
        final Map<String, User> byName = new TreeMap<>();
        final Map<Integer, String> nameById = new HashMap<>();
        final ConfigObject section = root.getObject(USERS_PATH);
        // Sorted, so the first error reported does not depend on hash order.
        for (final String name : new TreeSet<>(section.keySet()))
        {
            final String path = ConfigUtil.joinPath("ordergw", "gateway", "users", name);
            if (name.isBlank())
            {
                throw new ConfigError(path, "a user name must not be blank");
            }
            final Settings s = entry(root, path, section.get(name), USER_KEYS,
                "must be an object { user-id, password-hash, permissions, accounts, oms-id }");
            final int userId = s.intIn(USER_ID, 1, Integer.MAX_VALUE);
            final String other = nameById.putIfAbsent(userId, name);
            if (other != null)
            {
                throw new ConfigError(s.path(USER_ID), userId + " is already the user id of \"" + other + "\"");
            }
            final String hash = s.string(PASSWORD_HASH);
            try
            {
                PasswordHasher.checkFormat(hash);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new ConfigError(s.path(PASSWORD_HASH), "must be " + PasswordHasher.FORMAT +
                    " (as made by `ordergw hash-password`), but " + ex.getMessage());
            }
            final Set<Permission> permissions = permissions(root, s.path(PERMISSIONS));
            final int[] accounts = s.has(ACCOUNTS) ? s.intList(ACCOUNTS, 1, Integer.MAX_VALUE) : new int[0];
            final int omsId = s.has(OMS_ID) ? s.intIn(OMS_ID, 1, Integer.MAX_VALUE) : defaultOmsId;
            final boolean fills = s.has(TRADE_REVISIONS) && "fills".equals(s.oneOf(TRADE_REVISIONS, "orders", "fills"));
            byName.put(name, new User(name, userId, omsId, permissions, accounts, hash, fills));
        }
        return byName;
    }

    private static List<ApiKey> parseApiKeys(final Config root, final Map<String, User> usersByName)
    {
        final List<ApiKey> keys = new ArrayList<>();
        final ConfigObject section = root.getObject(API_KEYS_PATH);
        for (final String key : new TreeSet<>(section.keySet()))
        {
            final String path = ConfigUtil.joinPath("ordergw", "gateway", "api-keys", key);
            if (key.isBlank())
            {
                throw new ConfigError(path, "an API key must not be blank");
            }
            final Settings s = entry(root, path, section.get(key), API_KEY_KEYS, "must be an object { user, secret }");
            final String userName = s.string(USER);
            final User user = usersByName.get(userName);
            if (user == null)
            {
                throw new ConfigError(s.path(USER), "\"" + userName + "\" is not a user in " + USERS_PATH);
            }
            keys.add(new ApiKey(key, user, s.string(SECRET)));
        }
        return keys;
    }

    /** One entry of a free-form section: an object with only known keys. */
    private static Settings entry(
        final Config root, final String path, final ConfigValue value, final List<String> allowed, final String shape)
    {
        if (value.valueType() != ConfigValueType.OBJECT)
        {
            throw new ConfigError(path, shape);
        }
        for (final String key : new TreeSet<>(((ConfigObject)value).keySet()))
        {
            if (!allowed.contains(key))
            {
                throw new ConfigError(path + "." + ConfigUtil.joinPath(key),
                    "unknown setting (expected " + String.join(", ", allowed) + ")");
            }
        }
        return new Settings(root, path);
    }

    /** A list of permission names, or one name alone; at least one. */
    private static Set<Permission> permissions(final Config root, final String path)
    {
        final List<String> names;
        try
        {
            final ConfigValue value = root.getValue(path);
            names = value.valueType() == ConfigValueType.STRING ? List.of((String)value.unwrapped()) :
                root.getStringList(path);
        }
        catch (final ConfigException.Missing ex)
        {
            throw new ConfigError(path, "is required");
        }
        catch (final ConfigException.WrongType ex)
        {
            throw new ConfigError(path, "must be a list of Operator, Trading or AccountReadOnly");
        }
        if (names.isEmpty())
        {
            throw new ConfigError(path, "must name at least one of Operator, Trading or AccountReadOnly");
        }
        final Set<Permission> permissions = EnumSet.noneOf(Permission.class);
        for (final String name : names)
        {
            try
            {
                permissions.add(Permission.parse(name));
            }
            catch (final IllegalArgumentException ex)
            {
                throw new ConfigError(path, ex.getMessage());
            }
        }
        return permissions;
    }
}
