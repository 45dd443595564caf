package io.ordergw.bench.jmh;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.ordergw.bench.fixture.SamplePayloads;
import io.ordergw.codec.json.OrderStateCommandJsonDecoder;
import io.ordergw.codec.sbe.MessageHeaderEncoder;
import io.ordergw.codec.sbe.OrderStateCommandEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.concurrent.TimeUnit;

/**
 * Decoding one SendExchangeOrderStateEvent payload (29 keys, 531 bytes), three ways over the same bytes:
 * <ul>
 *   <li>{@link #ordergwDecoder}: ours, into an SBE command, every rule of docs/api.md section 5 checked;</li>
 *   <li>{@link #jacksonTokenWalk}: the floor for any decoder built on jackson-core: the same reused non-blocking
 *   parser fed the same bytes, walking every token and doing nothing with it;</li>
 *   <li>{@link #jacksonDatabind}: what most teams would write: an ObjectMapper (case-insensitive keys, as APEX
 *   requires) into a plain object with BigDecimal decimals, no validation.</li>
 * </ul>
 * {@link #jacksonTokenWalkNewParser} is the walk with a new blocking parser per message, the usual way to use
 * jackson-core: it shows what reusing one non-blocking parser saves.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DecodeBenchmark
{
    private static final JsonFactory FACTORY = new JsonFactory();

    private byte[] payload;
    private OrderStateCommandJsonDecoder decoder;
    private final UnsafeBuffer commandBuffer = new UnsafeBuffer(new byte[1024]);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final OrderStateCommandEncoder commandEncoder = new OrderStateCommandEncoder();
    private JsonParser walkParser;
    private ByteArrayFeeder walkFeeder;
    private ObjectMapper mapper;

    /** The plain object a databind decoder fills; public fields, as such code is usually written. */
    public static final class SendExchangeOrderStateEvent
    {
        public int exchangeId;
        public int omsId;
        public long clientOrderId;
        public int accountId;
        public int productPairId;
        public int orderType;
        public int side;
        public int tIF;
        public int pegPriceType;
        public BigDecimal quantity;
        public BigDecimal displayQuantity;
        public BigDecimal limitPrice;
        public BigDecimal stopPrice;
        public BigDecimal referencePrice;
        public long orderExpirationDateTime;
        public long orderIdOCO;
        public int orderFlag;
        public int linkType;
        public String exchangeServiceId;
        public long orderId;
        public int enteredBy;
        public int counterPartyId;
        public boolean isQuote;
        public boolean useMargin;
        public BigDecimal bestSellPrice;
        public BigDecimal bestSellQuantity;
        public BigDecimal bestBuyPrice;
        public BigDecimal bestBuyQuantity;
        public BigDecimal lastTradePrice;
    }

    /**
     * Build the three decoders and check that each reads the payload.
     *
     * @throws IOException never for the fixture.
     */
    @Setup
    public void setup() throws IOException
    {
        payload = SamplePayloads.newOrderBytes();
        decoder = new OrderStateCommandJsonDecoder(8, SamplePayloads.OMS_ID, new int[0]);
        walkParser = FACTORY.createNonBlockingByteArrayParser();
        walkFeeder = (ByteArrayFeeder)walkParser.getNonBlockingInputFeeder();
        mapper = JsonMapper.builder()
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
        if (!ordergwDecoder())
        {
            throw new IllegalStateException("our decoder refused the fixture: " + decoder.detail());
        }
        if (jacksonTokenWalk() != 60 || jacksonTokenWalkNewParser() != 60)
        {
            throw new IllegalStateException("token walk out of step with the fixture");
        }
        final SendExchangeOrderStateEvent dto = jacksonDatabind();
        if (dto.orderId != 123_456_789L || dto.tIF != 1 || !dto.useMargin)
        {
            throw new IllegalStateException("databind read the fixture wrong");
        }
    }

    /**
     * Ours: payload to SBE command, validated.
     *
     * @return true if decoded.
     */
    @Benchmark
    public boolean ordergwDecoder()
    {
        commandEncoder.wrapAndApplyHeader(commandBuffer, 0, headerEncoder);
        return decoder.decode(payload, 0, payload.length, commandEncoder);
    }

    /**
     * The floor: every token of the same bytes through the same kind of reused non-blocking parser, nothing done.
     *
     * @return tokens seen.
     * @throws IOException never for the fixture.
     */
    @Benchmark
    public int jacksonTokenWalk() throws IOException
    {
        walkFeeder.feedInput(payload, 0, payload.length);
        final JsonParser parser = walkParser;
        int tokens = 0;
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_OBJECT && token != JsonToken.NOT_AVAILABLE)
        {
            tokens++;
        }
        return tokens + 1;
    }

    /**
     * The walk with a new blocking parser per message.
     *
     * @return tokens seen.
     * @throws IOException never for the fixture.
     */
    @Benchmark
    public int jacksonTokenWalkNewParser() throws IOException
    {
        try (JsonParser parser = FACTORY.createParser(payload, 0, payload.length))
        {
            int tokens = 0;
            while (parser.nextToken() != null)
            {
                tokens++;
            }
            return tokens;
        }
    }

    /**
     * What most teams would write.
     *
     * @return the object.
     * @throws IOException never for the fixture.
     */
    @Benchmark
    public SendExchangeOrderStateEvent jacksonDatabind() throws IOException
    {
        return mapper.readValue(payload, 0, payload.length, SendExchangeOrderStateEvent.class);
    }
}
