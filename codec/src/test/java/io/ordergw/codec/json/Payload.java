package io.ordergw.codec.json;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

import java.util.ArrayList;
import java.util.List;

/**
 * A JSON object payload for tests, as an ordered list of keys and raw JSON values, so that a test can drop a key,
 * change one value, give a key twice or in another letter case, and still see the rest of the payload unchanged.
 * Immutable: every change returns a new payload.
 */
final class Payload
{
    private final List<String[]> members;

    private Payload(final List<String[]> members)
    {
        this.members = members;
    }

    static Payload of(final String... keysAndRawValues)
    {
        final List<String[]> members = new ArrayList<>();
        for (int i = 0; i < keysAndRawValues.length; i += 2)
        {
            members.add(new String[]{keysAndRawValues[i], keysAndRawValues[i + 1]});
        }
        return new Payload(members);
    }

    /**
     * A JSON string literal.
     *
     * @param text the string.
     * @return the text quoted and escaped (non-ASCII left as it is).
     */
    static String str(final String text)
    {
        return '"' + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + '"';
    }

    /** Replace the value of a key (found ignoring letter case), or add the key at the end. */
    Payload with(final String key, final String rawValue)
    {
        final List<String[]> copy = new ArrayList<>();
        boolean replaced = false;
        for (final String[] member : members)
        {
            if (!replaced && member[0].equalsIgnoreCase(key))
            {
                copy.add(new String[]{member[0], rawValue});
                replaced = true;
            }
            else
            {
                copy.add(member);
            }
        }
        if (!replaced)
        {
            copy.add(new String[]{key, rawValue});
        }
        return new Payload(copy);
    }

    /** Add a member at the end even if the key is already there. */
    Payload plus(final String key, final String rawValue)
    {
        final List<String[]> copy = new ArrayList<>(members);
        copy.add(new String[]{key, rawValue});
        return new Payload(copy);
    }

    /** Add a member at the start. */
    Payload first(final String key, final String rawValue)
    {
        final List<String[]> copy = new ArrayList<>();
        copy.add(new String[]{key, rawValue});
        copy.addAll(members);
        return new Payload(copy);
    }

    /** Drop a key (found ignoring letter case). */
    Payload without(final String key)
    {
        final List<String[]> copy = new ArrayList<>();
        for (final String[] member : members)
        {
            if (!member[0].equalsIgnoreCase(key))
            {
                copy.add(member);
            }
        }
        return new Payload(copy);
    }

    /** Spell a key differently. */
    Payload renamed(final String key, final String newKey)
    {
        final List<String[]> copy = new ArrayList<>();
        for (final String[] member : members)
        {
            copy.add(member[0].equalsIgnoreCase(key) ? new String[]{newKey, member[1]} : member);
        }
        return new Payload(copy);
    }

    /** Every key spelled by a function (for letter-case variants). */
    Payload keys(final java.util.function.UnaryOperator<String> spelling)
    {
        final List<String[]> copy = new ArrayList<>();
        for (final String[] member : members)
        {
            copy.add(new String[]{spelling.apply(member[0]), member[1]});
        }
        return new Payload(copy);
    }

    /** The raw value of a key. */
    String raw(final String key)
    {
        for (final String[] member : members)
        {
            if (member[0].equalsIgnoreCase(key))
            {
                return member[1];
            }
        }
        throw new IllegalArgumentException(key);
    }

    List<String> keys()
    {
        final List<String> keys = new ArrayList<>();
        for (final String[] member : members)
        {
            keys.add(member[0]);
        }
        return keys;
    }

    String json()
    {
        final StringBuilder sb = new StringBuilder("{");
        for (final String[] member : members)
        {
            if (sb.length() > 1)
            {
                sb.append(',');
            }
            sb.append(str(member[0])).append(':').append(member[1]);
        }
        return sb.append('}').toString();
    }

    @Override
    public String toString()
    {
        return json();
    }
}
