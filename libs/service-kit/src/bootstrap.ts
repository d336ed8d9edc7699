import 'reflect-metadata';
import type { Server } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { Logger, type DynamicModule, type INestApplication, type LogLevel, type Type } from '@nestjs/common';
import { NestFactory, type AbstractHttpAdapter } from '@nestjs/core';
import type { CommonConfig } from '@yardmaster/config';
import type { Telemetry } from '@yardmaster/telemetry';

const LEVELS: Record<CommonConfig['logLevel'], LogLevel[]> = {
  debug: ['debug', 'log', 'warn', 'error', 'fatal'],
  info: ['log', 'warn', 'error', 'fatal'],
  warn: ['warn', 'error', 'fatal'],
  error: ['error', 'fatal'],
};

/**
 * Starts a NestJS service: HTTP for health probes, shutdown hooks on SIGTERM/SIGINT
 * (in-flight work finishes, offsets are committed, connections close), a hard stop
 * after `shutdownTimeoutMs`, and telemetry flushed last.
 */
export async function bootstrapService(options: {
  name: string;
  module: Type | DynamicModule;
  common: CommonConfig;
  telemetry: Telemetry;
  /** Adjusts the Nest application before it listens (body limits, global pipes…). */
  configure?: (app: INestApplication) => void;
  /** The HTTP platform (e.g. Nest's FastifyAdapter); Nest's default (Express) when omitted. */
  httpAdapter?: () => AbstractHttpAdapter;
}): Promise<void> {
  const logger = new Logger(options.name);
  const nestOptions = { logger: LEVELS[options.common.logLevel], abortOnError: false };
  const app = options.httpAdapter ? await NestFactory.create(options.module, options.httpAdapter(), nestOptions) : await NestFactory.create(options.module, nestOptions);
  options.configure?.(app);
  // Signals are handled here rather than by Nest's shutdown hooks so that spans are
  // flushed after the last in-flight message is done, before the process exits.
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => {
      logger.error(`graceful shutdown took longer than ${options.common.shutdownTimeoutMs} ms; exiting`);
      process.exit(1);
    }, options.common.shutdownTimeoutMs).unref();
    logger.log(`${signal}: stopping`);
    app
      .close()
      .then(() => options.telemetry.shutdown())
      .then(
        () => process.exit(0),
        (err: unknown) => {
          logger.error(`shutdown failed: ${err instanceof Error ? err.message : String(err)}`);
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  try {
    await app.listen(options.common.http.port, options.common.http.host);
  } catch (err) {
    // Nest starts the Kafka consumers before it binds the port. When the bind fails
    // (EADDRINUSE), leave the consumer groups cleanly so that the partitions move at once
    // instead of after the session timeout, then fail.
    stopping = true;
    await Promise.race([app.close().catch(() => undefined), new Promise((r) => setTimeout(r, options.common.shutdownTimeoutMs).unref())]);
    throw err;
  }
  const address = (app.getHttpServer() as Server).address();
  const port = typeof address === 'object' && address ? address.port : options.common.http.port;
  logger.log(`${options.name} ready; health on http://${options.common.http.host}:${port}/healthz, metrics on /metrics`);
}

/**
 * Applies `HEAP_GROWING_PERCENT` (V8's --heap-growing-percent, which NODE_OPTIONS does not
 * accept). V8 reads it at every full collection, so setting it at start-up, before the heap
 * has grown, acts like the command-line flag. 0 leaves V8's adaptive growth. Returns whether
 * it was applied.
 */
export function applyHeapGrowth(percent: number): boolean {
  if (!(percent > 0)) return false;
  setFlagsFromString(`--heap-growing-percent=${Math.round(percent)}`);
  return true;
}

/**
 * Entry point of a service's `main.ts`: loads configuration (printing every invalid
 * variable and exiting 1 when it is wrong), applies HEAP_GROWING_PERCENT, then boots the
 * service.
 */
export function runService(
  name: string,
  telemetry: Telemetry,
  load: () => { module: Type | DynamicModule; common: CommonConfig; configure?: (app: INestApplication) => void; httpAdapter?: () => AbstractHttpAdapter },
): void {
  const logger = new Logger(name);
  let loaded: ReturnType<typeof load>;
  try {
    loaded = load();
    if (applyHeapGrowth(loaded.common.heapGrowingPercent)) logger.log(`V8 old generation grows by at most ${loaded.common.heapGrowingPercent}% per full GC (HEAP_GROWING_PERCENT)`);
  } catch (err) {
    logger.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  }
  bootstrapService({ name, telemetry, ...loaded }).catch((err: unknown) => {
    logger.error(`failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  });
}
