package io.ordergw.gateway.auth;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;

/**
 * A configured user: identity, permissions and the accounts it may reach. Immutable, so it is shared freely between
 * threads. The password is held only as a PBKDF2 hash, and {@link #toString()} leaves the hash out.
 */
public final class User
{
    private final String name;
    private final int userId;
    private final int omsId;
    private final Set<Permission> permissions;
    private final int[] accounts;
    private final int[] sortedAccounts;
    private final String passwordHash;
    private final boolean tradeRevisionsAsFills;

    /**
     * A user whose trade revisions read as section 6 orders (see {@link #tradeRevisionsAsFills()}).
     *
     * @param name         the login name, not blank.
     * @param userId       APEX user id, &gt; 0.
     * @param omsId        the OMS the user belongs to, &gt; 0.
     * @param permissions  what it may do (may be empty: such a user can only log in and out).
     * @param accounts     account ids it reaches (ignored for reach by {@link Permission#OPERATOR}), each &gt; 0, the
     *                     first being its default; repeats are dropped.
     * @param passwordHash its password as made by {@link PasswordHasher#hash(char[], int)}.
     * @throws IllegalArgumentException if an argument breaks these rules (the hash is never quoted).
     */
    public User(
        final String name,
        final int userId,
        final int omsId,
        final Set<Permission> permissions,
        final int[] accounts,
        final String passwordHash)
    {
        this(name, userId, omsId, permissions, accounts, passwordHash, false);
    }

    /**
     * A user.
     *
     * @param name         the login name, not blank.
     * @param userId       APEX user id, &gt; 0.
     * @param omsId        the OMS the user belongs to, &gt; 0.
     * @param permissions  what it may do (may be empty: such a user can only log in and out).
     * @param accounts     account ids it reaches (ignored for reach by {@link Permission#OPERATOR}), each &gt; 0, the
     *                     first being its default; repeats are dropped.
     * @param passwordHash its password as made by {@link PasswordHasher#hash(char[], int)}.
     * @param tradeRevisionsAsFills see {@link #tradeRevisionsAsFills()}.
     * @throws IllegalArgumentException if an argument breaks these rules (the hash is never quoted).
     */
    public User(
        final String name,
        final int userId,
        final int omsId,
        final Set<Permission> permissions,
        final int[] accounts,
        final String passwordHash,
        final boolean tradeRevisionsAsFills)
    {
        if (name == null || name.isBlank())
        {
            throw new IllegalArgumentException("user name must not be blank");
        }
        if (userId <= 0)
        {
            throw new IllegalArgumentException("user " + name + ": user id must be > 0 (got " + userId + ")");
        }
        if (omsId <= 0)
        {
            throw new IllegalArgumentException("user " + name + ": OMS id must be > 0 (got " + omsId + ")");
        }
        try
        {
            PasswordHasher.checkFormat(passwordHash);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("user " + name + ": password hash " + ex.getMessage(), ex);
        }
        this.name = name;
        this.userId = userId;
        this.omsId = omsId;
        this.permissions = Collections.unmodifiableSet(
            permissions.isEmpty() ? EnumSet.noneOf(Permission.class) : EnumSet.copyOf(permissions));
        this.accounts = distinct(name, accounts);
        this.sortedAccounts = this.accounts.clone();
        Arrays.sort(this.sortedAccounts);
        this.passwordHash = passwordHash;
        this.tradeRevisionsAsFills = tradeRevisionsAsFills;
    }

    /**
     * Whether GetOrderHistoryByOrderId shows this user a fill revision's Quantity and Price as the fill's quantity
     * and price (what ccxt's fetchOrderTrades reads) rather than the remaining quantity and limit price of section 6
     * (what APEX answers). The user setting {@code trade-revisions = fills}; docs/api.md says why it is per user.
     *
     * @return true for the fill view.
     */
    public boolean tradeRevisionsAsFills()
    {
        return tradeRevisionsAsFills;
    }

    /**
     * The login name.
     *
     * @return the name.
     */
    public String name()
    {
        return name;
    }

    /**
     * The APEX user id.
     *
     * @return the id, &gt; 0.
     */
    public int userId()
    {
        return userId;
    }

    /**
     * The user's OMS.
     *
     * @return the OMS id.
     */
    public int omsId()
    {
        return omsId;
    }

    /**
     * Whether the user holds a permission. Only that permission is checked: Operator does not imply the others.
     *
     * @param permission the permission.
     * @return true if granted.
     */
    public boolean has(final Permission permission)
    {
        return permissions.contains(permission);
    }

    /**
     * The user's permissions.
     *
     * @return an unmodifiable set.
     */
    public Set<Permission> permissions()
    {
        return permissions;
    }

    /**
     * Whether the user may reach an account: an Operator reaches every account, anyone else only its own.
     *
     * @param accountId the account.
     * @return true if allowed.
     */
    public boolean canAccess(final int accountId)
    {
        return permissions.contains(Permission.OPERATOR) || Arrays.binarySearch(sortedAccounts, accountId) >= 0;
    }

    /**
     * The account a login reply names: the first configured one.
     *
     * @return the account id, or 0 if the user has none.
     */
    public int defaultAccountId()
    {
        return accounts.length == 0 ? 0 : accounts[0];
    }

    /**
     * The configured accounts, in configuration order.
     *
     * @return a copy.
     */
    public int[] accounts()
    {
        return accounts.clone();
    }

    /** The encoded password hash; only the authenticator reads it. */
    String passwordHash()
    {
        return passwordHash;
    }

    /**
     * Name, ids, permissions and accounts; never the password hash.
     *
     * @return the description.
     */
    @Override
    public String toString()
    {
        final StringBuilder text = new StringBuilder(64)
            .append("User{name=").append(name)
            .append(", userId=").append(userId)
            .append(", omsId=").append(omsId)
            .append(", permissions=[");
        String separator = "";
        for (final Permission permission : permissions)
        {
            text.append(separator).append(permission.apexName());
            separator = ", ";
        }
        return text.append("], accounts=").append(Arrays.toString(accounts)).append('}').toString();
    }

    private static int[] distinct(final String name, final int[] accounts)
    {
        final int[] result = new int[accounts.length];
        final Set<Integer> seen = new HashSet<>();
        int count = 0;
        for (final int account : accounts)
        {
            if (account <= 0)
            {
                throw new IllegalArgumentException("user " + name + ": account ids must be > 0 (got " + account + ")");
            }
            if (seen.add(account))
            {
                result[count++] = account;
            }
        }
        return Arrays.copyOf(result, count);
    }
}
