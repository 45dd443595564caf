package io.ordergw.gateway.auth;

import io.ordergw.config.OrderGwConfig;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The users and API keys the gateway knows, fixed at start. Immutable, so lookups from any thread need no lock.
 * Names and keys are matched exactly (letter case counts).
 */
public final class UserDirectory
{
    /** PBKDF2 iterations of demo users' hashes: enough to be a real hash, few enough to start quickly. */
    public static final int DEMO_PBKDF2_ITERATIONS = 10_000;
    /** Name of the demo Operator (user id 1, no accounts). */
    public static final String DEMO_OPERATOR = "operator";
    /** Name of the demo trader (Trading, user id 2, account 1). */
    public static final String DEMO_TRADER = "trader";

    private final Map<String, User> usersByName;
    private final Map<Integer, User> usersById;
    private final Map<String, ApiKey> apiKeysByKey;

    private UserDirectory(
        final Map<String, User> usersByName, final Map<Integer, User> usersById, final Map<String, ApiKey> apiKeysByKey)
    {
        this.usersByName = usersByName;
        this.usersById = usersById;
        this.apiKeysByKey = apiKeysByKey;
    }

    /**
     * A directory of given users and keys.
     *
     * @param users   the users; names and user ids must be unique.
     * @param apiKeys the API keys; keys must be unique and each key's user must be one of {@code users}.
     * @return the directory.
     * @throws IllegalArgumentException naming a repeated name, user id or key, or a key whose user is not listed.
     */
    public static UserDirectory of(final Collection<User> users, final Collection<ApiKey> apiKeys)
    {
        final Map<String, User> byName = new TreeMap<>();
        final Map<Integer, User> byId = new HashMap<>();
        for (final User user : users)
        {
            if (byName.containsKey(user.name()))
            {
                throw new IllegalArgumentException("user \"" + user.name() + "\" is defined twice");
            }
            final User sameId = byId.get(user.userId());
            if (sameId != null)
            {
                throw new IllegalArgumentException("user id " + user.userId() + " is used by both \"" +
                    sameId.name() + "\" and \"" + user.name() + "\"");
            }
            byName.put(user.name(), user);
            byId.put(user.userId(), user);
        }
        final Map<String, ApiKey> byKey = new TreeMap<>();
        for (final ApiKey apiKey : apiKeys)
        {
            if (byKey.containsKey(apiKey.key()))
            {
                throw new IllegalArgumentException("API key " + apiKey.key() + " is defined twice");
            }
            if (byName.get(apiKey.user().name()) != apiKey.user())
            {
                throw new IllegalArgumentException(
                    "API key " + apiKey.key() + ": user \"" + apiKey.user().name() + "\" is not in the directory");
            }
            byKey.put(apiKey.key(), apiKey);
        }
        return new UserDirectory(
            Collections.unmodifiableMap(byName), Collections.unmodifiableMap(byId), Collections.unmodifiableMap(byKey));
    }

    /**
     * The users ({@code ordergw.gateway.users}) and API keys ({@code ordergw.gateway.api-keys}) of the configuration,
     * validated.
     *
     * @param config the configuration.
     * @return the directory.
     * @throws io.ordergw.config.ConfigError naming the full path of the first bad setting, e.g.
     *                                       {@code ordergw.gateway.users.alice.permissions: "Admin" is not Operator,
     *                                       Trading or AccountReadOnly}.
     */
    public static UserDirectory fromConfig(final OrderGwConfig config)
    {
        return UserConfigParser.parse(config.gateway.users, config.gateway.apiKeys, config.omsId);
    }

    /**
     * This directory and another together (the demo users added to the configured ones).
     *
     * @param other the other directory.
     * @return a new directory with the users and keys of both.
     * @throws IllegalArgumentException if both hold the same user name, user id or API key.
     */
    public UserDirectory withUsers(final UserDirectory other)
    {
        final List<User> users = new ArrayList<>(usersByName.values());
        users.addAll(other.usersByName.values());
        final List<ApiKey> apiKeys = new ArrayList<>(apiKeysByKey.values());
        apiKeys.addAll(other.apiKeysByKey.values());
        return of(users, apiKeys);
    }

    /**
     * Two demo users sharing one password: {@value #DEMO_OPERATOR} (Operator, user id 1, no accounts) and
     * {@value #DEMO_TRADER} (Trading, user id 2, account 1). The password is hashed here with
     * {@value #DEMO_PBKDF2_ITERATIONS} iterations and not kept.
     *
     * @param password the password, not empty.
     * @param omsId    their OMS.
     * @return the directory.
     */
    public static UserDirectory demo(final String password, final int omsId)
    {
        if (password == null || password.isEmpty())
        {
            throw new IllegalArgumentException("the demo password must not be empty");
        }
        final char[] chars = password.toCharArray();
        try
        {
            final User operator = new User(DEMO_OPERATOR, 1, omsId, EnumSet.of(Permission.OPERATOR), new int[0],
                PasswordHasher.hash(chars, DEMO_PBKDF2_ITERATIONS));
            final User trader = new User(DEMO_TRADER, 2, omsId, EnumSet.of(Permission.TRADING), new int[]{ 1 },
                PasswordHasher.hash(chars, DEMO_PBKDF2_ITERATIONS));
            return of(List.of(operator, trader), List.of());
        }
        finally
        {
            Arrays.fill(chars, '\0');
        }
    }

    /**
     * A user by login name.
     *
     * @param name the name.
     * @return the user, or null if unknown.
     */
    public User user(final String name)
    {
        return name == null ? null : usersByName.get(name);
    }

    /**
     * A user by APEX user id.
     *
     * @param userId the id.
     * @return the user, or null if unknown.
     */
    public User userById(final int userId)
    {
        return usersById.get(userId);
    }

    /**
     * An API key.
     *
     * @param key the key a client names.
     * @return the key, or null if unknown.
     */
    public ApiKey apiKey(final String key)
    {
        return key == null ? null : apiKeysByKey.get(key);
    }

    /**
     * Every user, by name.
     *
     * @return an unmodifiable collection.
     */
    public Collection<User> users()
    {
        return usersByName.values();
    }

    /**
     * Every API key, by key.
     *
     * @return an unmodifiable collection.
     */
    public Collection<ApiKey> apiKeys()
    {
        return apiKeysByKey.values();
    }

    /**
     * User names and the number of keys; never a hash or secret.
     *
     * @return the description.
     */
    @Override
    public String toString()
    {
        return "UserDirectory{users=" + usersByName.keySet() + ", apiKeys=" + apiKeysByKey.size() + '}';
    }
}
