// ccxt's ndax exchange class, unchanged, against an ordergw gateway: loads markets and accounts, then fetches open,
// closed and single orders, an order's trades and the account's trades. Prints every HTTP call ccxt made with its
// status to stderr, and one JSON document of what ccxt parsed to stdout, for NdaxCcxtTest to check.
//
// Environment: ORDERGW_URL (http://127.0.0.1:PORT), NDAX_API_KEY, NDAX_SECRET, NDAX_UID, NDAX_LOGIN,
// NDAX_PASSWORD, FILLED_ORDER_ID, OPEN_ORDER_ID.
import ccxt from 'ccxt';

const env = process.env;
const calls = [];

function exchange(label) {
    const ex = new ccxt.ndax({
        apiKey: env.NDAX_API_KEY,
        secret: env.NDAX_SECRET,
        uid: env.NDAX_UID,
        login: env.NDAX_LOGIN,
        password: env.NDAX_PASSWORD,
        enableRateLimit: false,
        timeout: 15000,
    });
    ex.urls.api = { public: env.ORDERGW_URL + '/AP', private: env.ORDERGW_URL + '/AP' };
    // Record every request ccxt sends and how it was answered, without changing what it does.
    const fetch = ex.fetch.bind(ex);
    ex.fetch = async (url, method = 'GET', headers = undefined, body = undefined) => {
        const auth = headers === undefined ? 'none' : headers.Authorization !== undefined ? 'Basic' :
            headers.APIKey !== undefined ? 'APIKey headers' : headers.APToken !== undefined ? 'aptoken' : 'none';
        const call = { client: label, method, url: url.replace(env.ORDERGW_URL, ''), auth, body: body ?? null };
        calls.push(call);
        try {
            const response = await fetch(url, method, headers, body);
            call.status = 200; // ccxt throws on any other status
            call.reply = JSON.stringify(response).slice(0, 160);
            return response;
        } catch (e) {
            call.status = 'error';
            call.reply = e.constructor.name + ': ' + e.message.slice(0, 200);
            throw e;
        }
    };
    return ex;
}

function order(o) {
    return { id: o.id, symbol: o.symbol, side: o.side, type: o.type, status: o.status, price: o.price,
        amount: o.amount, filled: o.filled, remaining: o.remaining, average: o.average, cost: o.cost };
}

function trade(t) {
    return { id: t.id, order: t.order, symbol: t.symbol, side: t.side, price: t.price, amount: t.amount, cost: t.cost,
        timestamp: t.timestamp };
}

const out = {};
try {
    // Signed per request with the API-key headers (ccxt's default when it has no session token).
    const signed = exchange('signed');
    const markets = await signed.loadMarkets();
    out.markets = Object.values(markets).map(m => ({ id: m.id, symbol: m.symbol, base: m.base, quote: m.quote,
        active: m.active, amountPrecision: m.precision.amount, pricePrecision: m.precision.price,
        minAmount: m.limits.amount.min })).sort((a, b) => a.id.localeCompare(b.id));
    out.currencies = Object.keys(signed.currencies).sort();
    out.accounts = (await signed.fetchAccounts()).map(a => a.id);
    out.openOrders = (await signed.fetchOpenOrders()).map(order);
    out.closedOrders = (await signed.fetchClosedOrders()).map(order);
    out.order = order(await signed.fetchOrder(env.FILLED_ORDER_ID));
    out.orderTrades = (await signed.fetchOrderTrades(env.FILLED_ORDER_ID)).map(trade);
    out.myTrades = (await signed.fetchMyTrades()).map(trade);
    out.myTradesBtc = (await signed.fetchMyTrades('BTC/USD')).map(trade);

    // Signed in once (GET /AP/Authenticate with Basic auth), then the session token in aptoken.
    const session = exchange('session');
    out.signIn = await session.signIn();
    out.signIn = { Authenticated: out.signIn.Authenticated, hasToken: typeof out.signIn.SessionToken === 'string' };
    out.sessionOrder = order(await session.fetchOrder(env.OPEN_ORDER_ID));
    out.sessionOpenOrders = (await session.fetchOpenOrders('ETH/USD')).map(order);
} catch (e) {
    out.error = e.constructor.name + ': ' + e.message;
}
for (const c of calls) {
    console.error(`${c.client.padEnd(7)} ${c.method.padEnd(4)} ${c.url}  [${c.auth}]` +
        (c.body ? ` body ${c.body}` : '') + `\n        -> ${c.status} ${c.reply}`);
}
out.calls = calls.map(c => ({ client: c.client, method: c.method, url: c.url, auth: c.auth, status: c.status }));
console.log(JSON.stringify(out));
