package io.ordergw.gateway.apex;

import io.ordergw.codec.json.JsonWriter;
import io.ordergw.config.InstrumentTable;

import java.math.BigDecimal;

/**
 * The GetProducts and GetInstruments payloads, written from the instrument table in the shape APEX answers (the keys
 * ccxt's ndax reads, plus the constant ones APEX sends): every instrument is a Running spot instrument.
 */
final class InstrumentJson
{
    private InstrumentJson()
    {
    }

    /**
     * The products, by id. A product is a NationalCurrency when some instrument quotes in it and names it as its
     * quote currency (USD quoted as USD), otherwise a CryptoCurrency.
     *
     * @param table        the instruments.
     * @param omsId        this gateway's OMS.
     * @param decimalScale decimal places of every value (the products' DecimalPlaces).
     * @param w            the writer.
     */
    static void products(final InstrumentTable table, final int omsId, final int decimalScale, final JsonWriter w)
    {
        w.beginArray();
        for (final InstrumentTable.Product product : table.products())
        {
            w.beginObject();
            w.key("OMSId").value(omsId);
            w.key("ProductId").value(product.id);
            w.key("Product").value(product.symbol);
            w.key("ProductFullName").value(product.symbol);
            w.key("MasterDataUniqueProductSymbol").value("");
            w.key("ProductType").value(isNational(table, product) ? "NationalCurrency" : "CryptoCurrency");
            w.key("DecimalPlaces").value(decimalScale);
            w.key("TickSize").decimal(1, decimalScale);
            w.key("DepositEnabled").value(false);
            w.key("WithdrawEnabled").value(false);
            w.key("NoFees").value(false);
            w.key("IsDisabled").value(false);
            w.key("MarginEnabled").value(false);
            w.endObject();
        }
        w.endArray();
    }

    /**
     * The instruments, in configured order.
     *
     * @param table the instruments.
     * @param omsId this gateway's OMS.
     * @param w     the writer.
     */
    static void instruments(final InstrumentTable table, final int omsId, final JsonWriter w)
    {
        w.beginArray();
        for (final InstrumentTable.Instrument instrument : table.instruments())
        {
            w.beginObject();
            w.key("OMSId").value(omsId);
            w.key("InstrumentId").value(instrument.id);
            w.key("Symbol").value(instrument.symbol);
            w.key("Product1").value(instrument.product1.id);
            w.key("Product1Symbol").value(instrument.product1.symbol);
            w.key("Product2").value(instrument.product2.id);
            w.key("Product2Symbol").value(instrument.product2.symbol);
            w.key("InstrumentType").value("Standard");
            w.key("VenueInstrumentId").value(instrument.id);
            w.key("VenueId").value(1);
            w.key("SortIndex").value(0);
            w.key("SessionStatus").value("Running");
            w.key("PreviousSessionStatus").value("Stopped");
            w.key("SelfTradePrevention").value(true);
            decimal(w.key("QuantityIncrement"), instrument.quantityIncrement);
            decimal(w.key("PriceIncrement"), instrument.priceIncrement);
            decimal(w.key("MinimumQuantity"), instrument.minimumQuantity);
            decimal(w.key("MinimumPrice"), instrument.priceIncrement);
            w.key("VenueSymbol").value(instrument.symbol);
            w.key("IsDisable").value(false);
            w.key("QuoteCurrency").value(instrument.quoteCurrency);
            w.endObject();
        }
        w.endArray();
    }

    private static boolean isNational(final InstrumentTable table, final InstrumentTable.Product product)
    {
        for (final InstrumentTable.Instrument instrument : table.instruments())
        {
            if (instrument.product2 == product && instrument.quoteCurrency.equals(product.symbol))
            {
                return true;
            }
        }
        return false;
    }

    /** The table's decimals are exact and within the decimal scale, so they fit a mantissa and a scale. */
    private static void decimal(final JsonWriter w, final BigDecimal value)
    {
        final BigDecimal plain = value.scale() < 0 ? value.setScale(0) : value;
        w.decimal(plain.unscaledValue().longValueExact(), plain.scale());
    }
}
