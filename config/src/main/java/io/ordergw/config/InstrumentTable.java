package io.ordergw.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.HashSet;
import java.util.TreeSet;

/**
 * The instruments the gateway knows ({@code ordergw.instruments}), and the products (assets) they trade: what
 * GetInstruments and GetProducts answer, and, when the table is not empty, the only productPairIds
 * SendExchangeOrderStateEvent accepts. Immutable, validated once at start: every error names the setting, e.g.
 * {@code ordergw.instruments[1].price-increment: must be > 0 (got 0)}.
 * <p>
 * A product's id is given with {@code product1-id}/{@code product2-id} or derived: products are numbered 1, 2, 3, ...
 * in the order their symbols first appear in the table, skipping ids given explicitly. One symbol always has one id.
 */
public final class InstrumentTable
{
    private static final String PATH = "ordergw.instruments";
    private static final Set<String> KEYS = Set.of("id", "symbol", "product1", "product2", "product1-id", "product2-id",
        "quantity-increment", "price-increment", "minimum-quantity", "quote-currency");
    private static final Pattern SYMBOL = Pattern.compile("[A-Za-z0-9._-]{1,32}");
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

    /** One tradable pair. */
    public static final class Instrument
    {
        /** The InstrumentId, the productPairId of SendExchangeOrderStateEvent. */
        public final int id;
        /** E.g. BTCUSD. */
        public final String symbol;
        /** The base product. */
        public final Product product1;
        /** The quote product. */
        public final Product product2;
        /** Smallest step of a quantity. */
        public final BigDecimal quantityIncrement;
        /** Smallest step of a price. */
        public final BigDecimal priceIncrement;
        /** Smallest order quantity. */
        public final BigDecimal minimumQuantity;
        /** ISO 4217 code of money amounts in this instrument (a dialect's currency), e.g. USD. */
        public final String quoteCurrency;

        Instrument(
            final int id,
            final String symbol,
            final Product product1,
            final Product product2,
            final BigDecimal quantityIncrement,
            final BigDecimal priceIncrement,
            final BigDecimal minimumQuantity,
            final String quoteCurrency)
        {
            this.id = id;
            this.symbol = symbol;
            this.product1 = product1;
            this.product2 = product2;
            this.quantityIncrement = quantityIncrement;
            this.priceIncrement = priceIncrement;
            this.minimumQuantity = minimumQuantity;
            this.quoteCurrency = quoteCurrency;
        }
    }

    /** One asset (APEX's product). */
    public static final class Product
    {
        /** The ProductId. */
        public final int id;
        /** E.g. BTC. */
        public final String symbol;

        Product(final int id, final String symbol)
        {
            this.id = id;
            this.symbol = symbol;
        }
    }

    private final List<Instrument> instruments;
    private final List<Product> products;
    private final Map<Integer, Instrument> byId;

    private InstrumentTable(final List<Instrument> instruments, final List<Product> products)
    {
        this.instruments = Collections.unmodifiableList(instruments);
        this.products = Collections.unmodifiableList(products);
        final Map<Integer, Instrument> map = new HashMap<>();
        for (final Instrument instrument : instruments)
        {
            map.put(instrument.id, instrument);
        }
        this.byId = Collections.unmodifiableMap(map);
    }

    /**
     * The instruments, in the configured order.
     *
     * @return the list.
     */
    public List<Instrument> instruments()
    {
        return instruments;
    }

    /**
     * The products, by id.
     *
     * @return the list.
     */
    public List<Product> products()
    {
        return products;
    }

    /**
     * An instrument by id.
     *
     * @param id the InstrumentId.
     * @return the instrument or null.
     */
    public Instrument instrument(final int id)
    {
        return byId.get(id);
    }

    /**
     * Whether no instrument is configured (then any productPairId is accepted).
     *
     * @return true if empty.
     */
    public boolean isEmpty()
    {
        return instruments.isEmpty();
    }

    /**
     * The instrument ids.
     *
     * @return ids in configured order.
     */
    public int[] ids()
    {
        final int[] ids = new int[instruments.size()];
        for (int i = 0; i < ids.length; i++)
        {
            ids[i] = instruments.get(i).id;
        }
        return ids;
    }

    /**
     * Read and validate {@code ordergw.instruments}.
     *
     * @param config       the merged configuration.
     * @param decimalScale decimal places of fixed-point values: no increment may need more.
     * @return the table.
     * @throws ConfigError naming the first bad setting.
     */
    static InstrumentTable parse(final Config config, final int decimalScale)
    {
        final List<? extends ConfigObject> entries;
        try
        {
            entries = config.getObjectList(PATH);
        }
        catch (final ConfigException.WrongType ex)
        {
            throw new ConfigError(PATH, "must be a list of objects { id, symbol, product1, product2, " +
                "quantity-increment, price-increment, minimum-quantity, quote-currency }");
        }
        final List<Config> rows = new ArrayList<>();
        final Map<String, Integer> givenIds = new LinkedHashMap<>();
        for (int i = 0; i < entries.size(); i++)
        {
            final ConfigObject entry = entries.get(i);
            final String path = PATH + "[" + i + "]";
            for (final Map.Entry<String, ConfigValue> key : entry.entrySet())
            {
                if (!KEYS.contains(key.getKey()))
                {
                    throw new ConfigError(path + "." + key.getKey(), "unknown setting (known: " +
                        String.join(", ", new TreeSet<>(KEYS)) + ")");
                }
            }
            final Config row = entry.toConfig();
            rows.add(row);
            for (final int side : new int[]{1, 2})
            {
                final String idKey = "product" + side + "-id";
                if (row.hasPath(idKey))
                {
                    final int id = intIn(row, path, idKey, 1, Integer.MAX_VALUE);
                    final String symbol = symbol(row, path, "product" + side);
                    final Integer previous = givenIds.get(symbol);
                    if (previous != null && previous != id)
                    {
                        throw new ConfigError(path + "." + idKey, "product " + symbol + " already has id " + previous);
                    }
                    for (final Map.Entry<String, Integer> other : givenIds.entrySet())
                    {
                        if (other.getValue() == id && !other.getKey().equals(symbol))
                        {
                            throw new ConfigError(path + "." + idKey, id + " is already the id of " + other.getKey());
                        }
                    }
                    givenIds.put(symbol, id);
                }
            }
        }

        final Map<String, Product> productsBySymbol = new LinkedHashMap<>();
        final Set<Integer> usedIds = new HashSet<>(givenIds.values());
        int nextId = 1;
        final List<Instrument> instruments = new ArrayList<>();
        final Map<Integer, String> instrumentIds = new HashMap<>();
        final Map<String, Integer> instrumentSymbols = new HashMap<>();
        for (int i = 0; i < rows.size(); i++)
        {
            final Config row = rows.get(i);
            final String path = PATH + "[" + i + "]";
            final int id = intIn(row, path, "id", 1, Integer.MAX_VALUE);
            if (instrumentIds.containsKey(id))
            {
                throw new ConfigError(path + ".id", id + " is already the id of " + instrumentIds.get(id));
            }
            final String symbol = symbol(row, path, "symbol");
            if (instrumentSymbols.containsKey(symbol))
            {
                throw new ConfigError(path + ".symbol",
                    symbol + " is already instrument " + instrumentSymbols.get(symbol));
            }
            instrumentIds.put(id, symbol);
            instrumentSymbols.put(symbol, id);
            final Product[] pair = new Product[2];
            for (int side = 1; side <= 2; side++)
            {
                final String productSymbol = symbol(row, path, "product" + side);
                Product product = productsBySymbol.get(productSymbol);
                if (product == null)
                {
                    Integer productId = givenIds.get(productSymbol);
                    if (productId == null)
                    {
                        while (usedIds.contains(nextId))
                        {
                            nextId++;
                        }
                        productId = nextId;
                        usedIds.add(productId);
                    }
                    product = new Product(productId, productSymbol);
                    productsBySymbol.put(productSymbol, product);
                }
                pair[side - 1] = product;
            }
            if (pair[0] == pair[1])
            {
                throw new ConfigError(path + ".product2", "must differ from product1 (" + pair[0].symbol + ")");
            }
            final BigDecimal quantityIncrement = decimal(row, path, "quantity-increment", decimalScale, true);
            final BigDecimal priceIncrement = decimal(row, path, "price-increment", decimalScale, true);
            final BigDecimal minimumQuantity = row.hasPath("minimum-quantity") ?
                decimal(row, path, "minimum-quantity", decimalScale, false) : quantityIncrement;
            final String quoteCurrency = row.hasPath("quote-currency") ? text(row, path, "quote-currency") :
                pair[1].symbol;
            if (!CURRENCY.matcher(quoteCurrency).matches())
            {
                throw new ConfigError(path + ".quote-currency", "must be three capital letters, e.g. USD (got \"" +
                    quoteCurrency + "\")" + (row.hasPath("quote-currency") ? "" : "; set it when product2 is not one"));
            }
            instruments.add(new Instrument(id, symbol, pair[0], pair[1], quantityIncrement, priceIncrement,
                minimumQuantity, quoteCurrency));
        }
        final List<Product> products = new ArrayList<>(productsBySymbol.values());
        products.sort((a, b) -> Integer.compare(a.id, b.id));
        return new InstrumentTable(instruments, products);
    }

    private static int intIn(final Config row, final String path, final String key, final int min, final int max)
    {
        final long value;
        try
        {
            value = row.getLong(key);
        }
        catch (final ConfigException.Missing ex)
        {
            throw new ConfigError(path + "." + key, "is required");
        }
        catch (final ConfigException.WrongType ex)
        {
            throw new ConfigError(path + "." + key, "must be a whole number");
        }
        if (value < min || value > max)
        {
            throw new ConfigError(path + "." + key, "must be > 0 (got " + value + ")");
        }
        return (int)value;
    }

    private static String text(final Config row, final String path, final String key)
    {
        try
        {
            if (row.getValue(key).valueType() != ConfigValueType.STRING)
            {
                throw new ConfigError(path + "." + key, "must be a string");
            }
            return row.getString(key);
        }
        catch (final ConfigException.Missing ex)
        {
            throw new ConfigError(path + "." + key, "is required");
        }
    }

    private static String symbol(final Config row, final String path, final String key)
    {
        final String value = text(row, path, key);
        if (!SYMBOL.matcher(value).matches())
        {
            throw new ConfigError(path + "." + key,
                "must be 1 to 32 letters, digits, '.', '_' or '-' (got \"" + value + "\")");
        }
        return value;
    }

    /**
     * A decimal given as a number or a string. HOCON reads an unquoted number as a double, whose shortest decimal
     * form is what was written for up to 15 significant digits; a string is read exactly, whatever its length.
     */
    private static BigDecimal decimal(
        final Config row, final String path, final String key, final int scale, final boolean positive)
    {
        final String setting = path + "." + key;
        final ConfigValue value;
        try
        {
            value = row.getValue(key);
        }
        catch (final ConfigException.Missing ex)
        {
            throw new ConfigError(setting, "is required");
        }
        if (value.valueType() != ConfigValueType.NUMBER && value.valueType() != ConfigValueType.STRING)
        {
            throw new ConfigError(setting, "must be a decimal number such as 0.01");
        }
        final String text;
        if (value.valueType() == ConfigValueType.STRING)
        {
            text = row.getString(key);
        }
        else
        {
            final Number number = row.getNumber(key);
            text = number instanceof Double ?
                BigDecimal.valueOf(number.doubleValue()).stripTrailingZeros().toPlainString() : number.toString();
        }
        final BigDecimal decimal;
        try
        {
            decimal = new BigDecimal(text.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new ConfigError(setting, "must be a decimal number such as 0.01 (got \"" + text + "\")");
        }
        if (positive ? decimal.signum() <= 0 : decimal.signum() < 0)
        {
            throw new ConfigError(setting, (positive ? "must be > 0" : "must be >= 0") + " (got " + text + ")");
        }
        if (decimal.stripTrailingZeros().scale() > scale)
        {
            throw new ConfigError(setting, "has more than " + scale + " decimal places (ordergw.decimal-scale) (got " +
                text + ")");
        }
        return decimal.stripTrailingZeros();
    }
}
