import { redactUrl } from '@yardmaster/config';
import { defaultCatalogPath, ensureDevKey, launchSystem, startInfra } from '@yardmaster/deploy';

/**
 * `npm start`: Kafka and Redis (started unless configured), the topics, every service
 * and provider-sim, logs prefixed per service; Ctrl-C stops everything.
 */
export async function startCommand(opts: { grpcPort: string; httpPort: string; simLatency: string; partitions: string; catalog?: string; readyTimeout?: string }): Promise<number> {
  const say = (line: string) => process.stdout.write(`[yardmaster] ${line}\n`);
  const infra = await startInfra({ log: say });
  say(`Kafka ${infra.brokers}, Redis ${redactUrl(infra.redisUrl ?? '')}`);
  let system: Awaited<ReturnType<typeof launchSystem>>;
  let devKey: Awaited<ReturnType<typeof ensureDevKey>>;
  try {
    // The services' default key prefix (launchSystem uses `ym:` without a topic prefix).
    devKey = await ensureDevKey({ redisUrl: infra.redisUrl!, redisKeyPrefix: 'ym:' });
    system = await launchSystem({
      brokers: infra.brokers!,
      redisUrl: infra.redisUrl!,
      grpcPort: Number(opts.grpcPort),
      ingressHttpPort: Number(opts.httpPort),
      apiKey: devKey.secret,
      simLatencyMs: Number(opts.simLatency),
      partitions: Number(opts.partitions),
      catalogPath: opts.catalog ?? defaultCatalogPath,
      ...(opts.readyTimeout ? { readyTimeoutMs: Number(opts.readyTimeout) * 1000 } : {}),
      logs: { kind: 'prefix', write: (line) => process.stdout.write(`${line}\n`) },
      // A service that crashes comes back, as it would under Kubernetes.
      supervise: { onExit: say },
    });
  } catch (err) {
    say(`failed to start: ${err instanceof Error ? err.message : String(err)}`);
    await infra.stop();
    return 1;
  }
  say(`ready: gRPC RouterService on ${system.grpcAddress}, OpenAI-compatible HTTP API on ${system.httpUrl}/v1, provider-sim on ${system.simUrl}, pools ${system.pools.join(', ')}`);
  say(`development API key (tenant ${devKey.key.tenantId}, ${devKey.key.id}; saved in ${devKey.file}):`);
  say(`  export YARDMASTER_API_KEY=${devKey.secret}`);
  say(`send a request:  npx yardmaster infer "hello"`);
  say(`over HTTP:       curl ${system.httpUrl}/v1/chat/completions -H "Authorization: Bearer $YARDMASTER_API_KEY" -H 'Content-Type: application/json' -d '{"model":"auto","messages":[{"role":"user","content":"hello"}]}'`);
  say(`benchmark:       npm run bench -- --requests 2000 --concurrency 64${system.grpcAddress === '127.0.0.1:50051' ? '' : ` --address ${system.grpcAddress}`} --brokers ${infra.brokers}`);
  say('Ctrl-C stops everything');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  say('stopping services…');
  await system.stop();
  await infra.stop();
  say('stopped');
  return 0;
}
