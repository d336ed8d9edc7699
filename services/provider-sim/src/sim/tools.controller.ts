import { Controller, Get, Headers, Inject, Query, Req, Res } from '@nestjs/common';
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
 * Example HTTP tools for the `http-tool` pools: `GET /tools/weather?location=&when=` and
 * `GET /tools/currency?from=&to=&amount=`, with deterministic made-up data. The fault
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

  private answer(tool: string, result: Record<string, unknown>, req: IncomingMessage, res: ServerResponse, latency: string | undefined): Promise<void> {
    return serve({
      ...this.sim,
      protocol: toolProtocol(result),
      answer: { id: randomUUID(), model: tool, text: '', promptTokens: 0, completionTokens: 0, finishReason: 'stop' },
      stream: false,
      req,
      res,
      latencyOverrideMs: latencyOverride(latency),
    });
  }
}
