package io.ordergw.codec.json;

import org.agrona.collections.Object2IntHashMap;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The keys a payload may carry, matched case-insensitively as APEX does ({@code exchangeID}, {@code exchangeId}
 * and {@code ExchangeId} are one key), each with an index the decoder switches on.
 * <p>
 * One table is shared by every decoder of a payload type; the per-decoder {@link Lookup} caches the exact spellings
 * it has seen (Jackson hands out canonical name instances), so a warm lookup is a hash probe with no allocation.
 */
public final class FieldTable
{
    /** Returned for a key that is not in the table. */
    public static final int UNKNOWN = -1;

    private static final int MAX_CACHED_SPELLINGS = 512;

    private final String[] names;
    private String[] spellings;
    private int[] spellingIndex;

    private FieldTable(final String[] names)
    {
        this.names = names;
    }

    /**
     * Build a table. Aliases are written {@code "name|alias|alias"}: all match the same index, and the first is
     * the name used in error details.
     *
     * @param names one entry per field, in index order.
     * @return the table.
     */
    public static FieldTable of(final String... names)
    {
        final FieldTable table = new FieldTable(new String[names.length]);
        final List<String> spellings = new ArrayList<>();
        final List<Integer> indices = new ArrayList<>();
        final Set<String> seen = new HashSet<>();
        for (int i = 0; i < names.length; i++)
        {
            final String[] aliases = names[i].split("\\|");
            table.names[i] = aliases[0];
            for (final String spelling : aliases)
            {
                if (!seen.add(spelling.toLowerCase(Locale.ROOT)))
                {
                    throw new IllegalArgumentException("duplicate key in field table: " + spelling);
                }
                spellings.add(spelling);
                indices.add(i);
            }
        }
        table.spellings = spellings.toArray(new String[0]);
        table.spellingIndex = indices.stream().mapToInt(Integer::intValue).toArray();
        return table;
    }

    /**
     * Number of fields.
     *
     * @return count.
     */
    public int size()
    {
        return names.length;
    }

    /**
     * The name of a field as error details give it.
     *
     * @param index field index.
     * @return the name.
     */
    public String name(final int index)
    {
        return names[index];
    }

    /** The index of a key in any letter case, allocating nothing: a scan of the few spellings. */
    int indexOfIgnoringCase(final String key)
    {
        for (int k = 0; k < spellings.length; k++)
        {
            if (spellings[k].equalsIgnoreCase(key))
            {
                return spellingIndex[k];
            }
        }
        return UNKNOWN;
    }

    /**
     * A per-decoder lookup with a bounded cache of exact spellings.
     *
     * @return a new lookup.
     */
    public Lookup newLookup()
    {
        return new Lookup(this);
    }

    /** Case-insensitive lookup with a cache of exact spellings; not thread-safe. */
    public static final class Lookup
    {
        private final FieldTable table;
        private final Object2IntHashMap<String> cache = new Object2IntHashMap<>(UNKNOWN - 1);

        Lookup(final FieldTable table)
        {
            this.table = table;
        }

        /**
         * The field index of a key.
         *
         * @param key the key as it arrived.
         * @return the index or {@link #UNKNOWN}.
         */
        public int indexOf(final String key)
        {
            final int cached = cache.getValue(key);
            if (cached != UNKNOWN - 1)
            {
                return cached;
            }
            // Slow path, allocation-free. Only spellings of real keys are cached: keys a client invents would fill the
            // bounded cache and push every later new spelling onto this path for good.
            final int index = table.indexOfIgnoringCase(key);
            if (index != UNKNOWN && cache.size() < MAX_CACHED_SPELLINGS)
            {
                cache.put(key, index);
            }
            return index;
        }
    }
}
