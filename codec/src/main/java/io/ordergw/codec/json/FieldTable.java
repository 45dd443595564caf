package io.ordergw.codec.json;

import org.agrona.collections.Object2IntHashMap;

import java.util.Locale;

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
    private final Object2IntHashMap<String> indexByLowerCase = new Object2IntHashMap<>(UNKNOWN);

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
        for (int i = 0; i < names.length; i++)
        {
            final String[] spellings = names[i].split("\\|");
            table.names[i] = spellings[0];
            for (final String spelling : spellings)
            {
                final String lower = spelling.toLowerCase(Locale.ROOT);
                if (table.indexByLowerCase.containsKey(lower))
                {
                    throw new IllegalArgumentException("duplicate key in field table: " + spelling);
                }
                table.indexByLowerCase.put(lower, i);
            }
        }
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

    int indexOfLowerCase(final String lowerCaseName)
    {
        return indexByLowerCase.getValue(lowerCaseName);
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
            // Slow path, once per spelling: hostile clients can invent keys, so the cache is bounded.
            final int index = table.indexOfLowerCase(key.toLowerCase(Locale.ROOT));
            if (cache.size() < MAX_CACHED_SPELLINGS)
            {
                cache.put(key, index);
            }
            return index;
        }
    }
}
