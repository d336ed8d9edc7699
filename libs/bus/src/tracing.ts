import { context, propagation, type Context, type TextMapGetter, type TextMapSetter } from '@opentelemetry/api';

export type RawHeaders = Record<string, Buffer | string | (Buffer | string)[] | undefined>;

const setter: TextMapSetter<Record<string, string>> = {
  set(carrier, key, value) {
    carrier[key] = value;
  },
};

const getter: TextMapGetter<RawHeaders> = {
  keys: (carrier) => Object.keys(carrier),
  get(carrier, key) {
    const value = carrier[key];
    if (value === undefined) return undefined;
    if (Array.isArray(value)) return value.map((v) => v.toString());
    return value.toString();
  },
};

/** Writes the active trace context (W3C `traceparent`/`tracestate`) into message headers. */
export function injectTraceHeaders(headers: Record<string, string>, ctx: Context = context.active()): Record<string, string> {
  propagation.inject(ctx, headers, setter);
  return headers;
}

/** Reads the trace context a producer put into message headers. */
export function extractTraceContext(headers: RawHeaders | undefined): Context {
  return propagation.extract(context.active(), headers ?? {}, getter);
}

/** Header values as strings (kafkajs gives Buffers). */
export function headersToStrings(headers: RawHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined) continue;
    out[k] = Array.isArray(v) ? v.map((x) => x.toString()).join(',') : v.toString();
  }
  return out;
}
