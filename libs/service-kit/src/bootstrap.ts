import 'reflect-metadata';
import type { Server } from 'node:http';
import { Logger, type DynamicModule, type INestApplication, type LogLevel, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
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
}): Promise<void> {
  const logger = new Logger(options.name);
  const app = await NestFactory.create(options.module, { logger: LEVELS[options.common.logLevel], abortOnError: false });
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
 * Entry point of a service's `main.ts`: loads configuration (printing every invalid
 * variable and exiting 1 when it is wrong), then boots the service.
 */
export function runService(
  name: string,
  telemetry: Telemetry,
  load: () => { module: Type | DynamicModule; common: CommonConfig; configure?: (app: INestApplication) => void },
): void {
  const logger = new Logger(name);
  let loaded: ReturnType<typeof load>;
  try {
    loaded = load();
  } catch (err) {
    logger.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  }
  bootstrapService({ name, telemetry, ...loaded }).catch((err: unknown) => {
    logger.error(`failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  });
}
