import { Controller, Get, Headers, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { badRequest, latencyOverride } from './chat.controller.js';
import { serve, type Protocol } from './engine.js';
import { failureMessage, failureStatus, retryHeaders } from './errors.js';
import { SimState } from './state.js';

/** Made-up weather: the same place and day always get the same answer. */
export function fakeWeather(location: string, when: string): Record<string, unknown> {
  const h = createHash('sha256').update(`${location.trim().toLowerCase()}|${when}`).digest();
  const conditions = ['sunny', 'partly cloudy', 'cloudy', 'light rain', 'rain', 'windy', 'fog', 'snow'];
  return {
    location,
    when,
    temperature_c: (h[0]! % 41) - 5,
    condition: conditions[h[1]! % conditions.length],
    humidity_pct: 30 + (h[2]! % 61),
    wind_kmh: h[3]! % 51,
    source: 'provider-sim (example data, not a forecast)',
  };
}

/** Units of each currency per US dollar: fixed example rates, not market data. */
export const FAKE_RATES: Readonly<Record<string, number>> = {
  USD: 1, EUR: 0.92, GBP: 0.79, JPY: 151.2, CNY: 7.24, CHF: 0.9, INR: 83.4, KRW: 1350, BRL: 5.05, RUB: 92.5,
  CAD: 1.37, AUD: 1.52, MXN: 17.1, SEK: 10.6, NOK: 10.8, DKK: 6.87, PLN: 3.98, CZK: 23.3, HUF: 362, TRY: 32.2,
  ZAR: 18.6, SGD: 1.35, HKD: 7.82, NZD: 1.66, THB: 36.4, IDR: 15900, AED: 3.6725, SAR: 3.75, ILS: 3.7,
};

/** A conversion at the example rates, rounded to 6 significant digits (the rate) and cents (the result). */
export function fakeConversion(from: string, to: string, amount: number | undefined): Record<string, unknown> {
  const rate = Number((FAKE_RATES[to]! / FAKE_RATES[from]!).toPrecision(6));
  return {
    from,
    to,
    rate,
    ...(amount !== undefined ? { amount, result: Math.round(amount * rate * 100) / 100 } : {}),
    source: 'provider-sim (example rates, not market data)',
  };
}

/** Example orders of a made-up shop, by id: what a company's order API would return. */
export const FAKE_ORDERS: Readonly<Record<string, Record<string, unknown>>> = {
  '48213': { order_id: '48213', status: 'shipped', carrier: 'DHL', tracking: 'JD014600006281', placed: '2026-11-28', estimated_delivery: '2026-12-09', items: 3, total: { amount: 129.9, currency: 'EUR' } },
  'A-10442': { order_id: 'A-10442', status: 'processing', placed: '2026-12-04', estimated_delivery: '2026-12-12', items: 1, total: { amount: 49, currency: 'USD' } },
  '55017': { order_id: '55017', status: 'delivered', carrier: 'UPS', tracking: '1Z999AA10123456784', placed: '2026-11-10', delivered: '2026-11-14', items: 2, total: { amount: 18.5, currency: 'GBP' } },
  'B-7731': { order_id: 'B-7731', status: 'cancelled', placed: '2026-11-30', cancelled: '2026-12-01', reason: 'cancelled by the customer', items: 4, total: { amount: 310, currency: 'EUR' } },
};

/** Example customers of the same shop, by id. */
export const FAKE_CUSTOMERS: Readonly<Record<string, Record<string, unknown>>> = {
  'C-2291': { customer_id: 'C-2291', name: 'Example Customer One', since: '2021-03-14', tier: 'gold', open_orders: ['A-10442'], country: 'DE' },
  'C-1001': { customer_id: 'C-1001', name: 'Example Customer Two', since: '2024-07-02', tier: 'standard', open_orders: [], country: 'FR' },
};

const SIM_NOTE = 'provider-sim (example records, not a real shop)';

function invalid(message: string) {
  return badRequest({ error: { message, type: 'invalid_request_error' } });
}

function toolProtocol(result: Record<string, unknown>): Protocol {
  return {
    failure: (f, a) => ({ status: failureStatus(f), body: { error: { message: failureMessage(f, a.promptTokens), type: f.kind } }, headers: retryHeaders(f) }),
    whole: () => result,
    events: () => [],
  };
}

/**
 * Example HTTP tools for the `http-tool` pools: `GET /tools/weather?location=&when=`,
 * `GET /tools/currency?from=&to=&amount=`, and a company's record API
 * `GET /tools/orders/{order_id}` and `GET /tools/customers/{customer_id}` (404 for an
 * unknown id), with deterministic made-up data. The fault
 * profiles, latency and keys of provider-sim apply, by tool name (`weather`, `currency`)
 * as the model: `POST /admin/faults {"weather": {"errors": {"500": 1}}}` breaks the weather.
 */
@Controller('tools')
export class ToolsController {
  constructor(@Inject(SimState) private readonly sim: SimState) {}

  @Get('weather')
  async weather(@Query('location') location: unknown, @Query('when') when: unknown, @Req() req: IncomingMessage, @Res() res: ServerResponse, @Headers('x-sim-latency-ms') latency?: string): Promise<void> {
    if (typeof location !== 'string' || !location.trim()) throw invalid("'location' is required");
    const day = typeof when === 'string' && when ? when : 'today';
    if (!['now', 'today', 'tomorrow'].includes(day)) throw invalid("'when' must be now, today or tomorrow");
    await this.answer('weather', fakeWeather(location.trim(), day), req, res, latency);
  }

  @Get('currency')
  async currency(@Query('from') from: unknown, @Query('to') to: unknown, @Query('amount') amount: unknown, @Req() req: IncomingMessage, @Res() res: ServerResponse, @Headers('x-sim-latency-ms') latency?: string): Promise<void> {
    const code = (v: unknown, name: string) => {
      const c = typeof v === 'string' ? v.toUpperCase() : '';
      if (!Object.hasOwn(FAKE_RATES, c)) throw invalid(`'${name}' must be a known ISO 4217 code (${Object.keys(FAKE_RATES).join(', ')})`);
      return c;
    };
    const f = code(from, 'from');
    const t = code(to, 'to');
    let n: number | undefined;
    if (amount !== undefined && amount !== '') {
      n = typeof amount === 'string' && /^\d+(?:\.\d+)?$/.test(amount) ? Number(amount) : NaN;
      if (!Number.isFinite(n)) throw invalid("'amount' must be a non-negative decimal number");
    }
    await this.answer('currency', fakeConversion(f, t, n), req, res, latency);
  }

  /**
   * `GET /tools/orders/{order_id}`: the order's record, or 404 `not_found` for an id the
   * shop does not know. Ids are matched case-insensitively. Fault profile name `order_lookup`.
   */
  @Get('orders/:id')
  async order(@Param('id') id: string, @Req() req: IncomingMessage, @Res() res: ServerResponse, @Headers('x-sim-latency-ms') latency?: string): Promise<void> {
    await this.record('order_lookup', 'order', FAKE_ORDERS, id, req, res, latency);
  }

  /** `GET /tools/customers/{customer_id}`: the customer's record, or 404. Fault profile name `customer_lookup`. */
  @Get('customers/:id')
  async customer(@Param('id') id: string, @Req() req: IncomingMessage, @Res() res: ServerResponse, @Headers('x-sim-latency-ms') latency?: string): Promise<void> {
    await this.record('customer_lookup', 'customer', FAKE_CUSTOMERS, id, req, res, latency);
  }

  private record(tool: string, kind: string, table: Readonly<Record<string, Record<string, unknown>>>, id: string, req: IncomingMessage, res: ServerResponse, latency: string | undefined): Promise<void> {
    const key = id.trim().toUpperCase();
    if (!/^[A-Z0-9][A-Z0-9-]{0,63}$/.test(key)) throw invalid(`'${kind}_id' must be letters, digits and dashes`);
    const found = Object.hasOwn(table, key) ? table[key] : undefined;
    if (found) return this.answer(tool, { ...found, source: SIM_NOTE }, req, res, latency);
    return this.answer(tool, { error: { type: 'not_found', message: `no ${kind} with id ${key}` }, [`${kind}_id`]: key, found: false }, req, res, latency, 404);
  }

  private answer(tool: string, result: Record<string, unknown>, req: IncomingMessage, res: ServerResponse, latency: string | undefined, status?: number): Promise<void> {
    return serve({
      ...this.sim,
      protocol: toolProtocol(result),
      answer: { id: randomUUID(), model: tool, text: '', promptTokens: 0, completionTokens: 0, finishReason: 'stop' },
      stream: false,
      req,
      res,
      latencyOverrideMs: latencyOverride(latency),
      ...(status !== undefined ? { status } : {}),
    });
  }
}
