/**
 * `@yardmaster/deploy`: local infrastructure for development, tests and CI.
 *
 * `startInfra()` returns Kafka bootstrap servers and a Redis URL: the configured
 * `KAFKA_BROKERS` / `REDIS_URL` when set, otherwise a single-node Apache Kafka 4
 * (KRaft, jars from Maven Central) and a Debian redis-server started on free
 * loopback ports. No Docker engine is needed; `deploy/docker-compose.yml` is the
 * alternative for machines that have one.
 */
export { DEV_TENANT, devKeyPath, ensureDevKey, provisionApiKey, readDevKey } from './dev-key';
export { bearerInterceptor, grpcAuthOptions } from './grpc-auth';
export { InfraError, type InfraErrorCode } from './errors';
export { startInfra, type Infra, type InfraOptions } from './infra';
export {
  generateClusterId,
  renderServerProperties,
  startKafka,
  type KafkaHandle,
  type KafkaOptions,
  type PropertyValue,
  type ServerPropertiesOptions,
} from './kafka';
export { ensureKafkaLibs, kafkaPomHash, type KafkaLibs, type KafkaLibsOptions } from './kafka-libs';
export { resolveCacheDir } from './paths';
export { ephemeralPortRange, freePort, freePorts, isPortOpen, waitForPort, waitForPortClosed, waitUntil } from './ports';
export { ensureRedisServer, redisPing, startRedis, type RedisHandle, type RedisOptions } from './redis';
export { SERVICE_NAMES, catalogPoolApis, catalogPoolToolEnv, catalogPools, createTopics, defaultCatalogPath, launchSystem, serviceScript, type LogMode, type RunningSystem, type ServiceName, type ServiceProcess, type SystemOptions } from './system';
