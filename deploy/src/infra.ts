import { redactUrl, redactUrlsIn } from '@yardmaster/config';
import { InfraError } from './errors';
import { startKafka, type KafkaHandle, type KafkaOptions } from './kafka';
import { startRedis, type RedisHandle, type RedisOptions } from './redis';

/** Options of {@link startInfra}. */
export interface InfraOptions {
  /** Provide Kafka (from `KAFKA_BROKERS` or a local broker); default true. */
  needKafka?: boolean;
  /** Provide Redis (from `REDIS_URL` or a local redis-server); default true. */
  needRedis?: boolean;
  /** Progress lines (jar download, installs, ready-at lines); default: silent. */
  log?: (line: string) => void;
  /**
   * Where `KAFKA_BROKERS` and `REDIS_URL` are read from, and the environment of
   * Java, Maven and apt-get; default `process.env`. Pass `{ ...process.env,
   * KAFKA_BROKERS: undefined }` to force a local broker.
   */
  env?: NodeJS.ProcessEnv;
  /** Passed to {@link startKafka} when a broker is started. */
  kafka?: Omit<KafkaOptions, 'log' | 'env'>;
  /** Passed to {@link startRedis} when Redis is started. */
  redis?: Omit<RedisOptions, 'log' | 'env'>;
}

/** Kafka and Redis for this run, configured or started. */
export interface Infra {
  /**
   * Kafka bootstrap servers: `KAFKA_BROKERS` when set, else the started broker.
   * Undefined only when `needKafka` was false and `KAFKA_BROKERS` is unset.
   */
  readonly brokers: string | undefined;
  /**
   * Redis URL: `REDIS_URL` when set, else the started Redis.
   * Undefined only when `needRedis` was false and `REDIS_URL` is unset.
   */
  readonly redisUrl: string | undefined;
  /** Which ones this call started (and `stop()` will stop). */
  readonly started: { readonly kafka: boolean; readonly redis: boolean };
  /** Stops what this call started (in parallel); never touches configured ones. Idempotent. */
  stop(): Promise<void>;
}

function fromEnv(env: NodeJS.ProcessEnv, name: 'KAFKA_BROKERS' | 'REDIS_URL'): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined; // An empty variable counts as unset.
}

/**
 * Provides Kafka and Redis for tests, `npm start` and the `up` CLI. A configured
 * `KAFKA_BROKERS` / `REDIS_URL` is returned as is and nothing is started for it;
 * whatever is missing is started locally (Kafka 4 KRaft from Maven jars, Debian
 * redis-server), both at the same time. Started processes are also killed when this
 * process exits or dies, so nothing outlives it even without `stop()`.
 * @throws InfraError from {@link startKafka} / {@link startRedis}; when both fail the
 *   Kafka error is thrown with the Redis error as `cause`. Whatever did start is
 *   stopped before throwing.
 */
export async function startInfra(opts: InfraOptions = {}): Promise<Infra> {
  const env = opts.env ?? process.env;
  const log = opts.log;
  const configuredBrokers = fromEnv(env, 'KAFKA_BROKERS');
  const configuredRedis = fromEnv(env, 'REDIS_URL');
  if (configuredBrokers !== undefined && (opts.needKafka ?? true)) log?.(`kafka: using KAFKA_BROKERS=${redactUrlsIn(configuredBrokers)}`);
  if (configuredRedis !== undefined && (opts.needRedis ?? true)) log?.(`redis: using REDIS_URL=${redactUrl(configuredRedis)}`);

  const startK = (opts.needKafka ?? true) && configuredBrokers === undefined;
  const startR = (opts.needRedis ?? true) && configuredRedis === undefined;

  const [kafka, redis] = await Promise.allSettled([
    startK ? startKafka({ ...opts.kafka, env, log }) : Promise.resolve(undefined),
    startR ? startRedis({ ...opts.redis, env, log }) : Promise.resolve(undefined),
  ]);

  if (kafka.status === 'rejected' || redis.status === 'rejected') {
    await Promise.allSettled([
      kafka.status === 'fulfilled' ? kafka.value?.stop() : undefined,
      redis.status === 'fulfilled' ? redis.value?.stop() : undefined,
    ]);
    if (kafka.status === 'rejected') {
      const err = InfraError.from(kafka.reason);
      if (redis.status === 'rejected') {
        throw new InfraError(err.code, `${err.message}\n(also: ${InfraError.from(redis.reason).message})`, { cause: redis.reason });
      }
      throw err;
    }
    throw InfraError.from(redis.status === 'rejected' ? redis.reason : undefined);
  }

  const kafkaHandle: KafkaHandle | undefined = kafka.value;
  const redisHandle: RedisHandle | undefined = redis.value;
  let stopping: Promise<void> | undefined;
  return {
    brokers: configuredBrokers ?? kafkaHandle?.brokers,
    redisUrl: configuredRedis ?? redisHandle?.url,
    started: { kafka: kafkaHandle !== undefined, redis: redisHandle !== undefined },
    stop: () => {
      stopping ??= (async () => {
        const results = await Promise.allSettled([kafkaHandle?.stop(), redisHandle?.stop()]);
        const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
        if (failed) throw InfraError.from(failed.reason);
      })();
      return stopping;
    },
  };
}
