/**
 * Cross-checks the deployment files (Dockerfile, deploy/docker-entrypoint.sh,
 * k8s/*.yaml, deploy/docker-compose.yml) against the code: the services that exist,
 * the environment variables their zod schemas read (and the defaults of the ports and
 * the shutdown timeout), the model catalog's worker pools, and the topics.
 * Nothing here needs Docker, Kubernetes, Kafka or Redis.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Topics, isValidPoolName, workTopic } from '@yardmaster/contracts';
import { parse, parseAllDocuments } from 'yaml';
import { catalogPoolToolEnv, defaultCatalogPath } from './system';

/** deploy/dist/manifests.spec.js -> the repository root. */
const root = path.resolve(__dirname, '..', '..');
const rel = (...parts: string[]) => path.join(root, ...parts);
const read = (...parts: string[]) => readFileSync(rel(...parts), 'utf8');

// ---------------------------------------------------------------------------------------
// Small helpers for untyped YAML.

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
function obj(v: unknown, what: string): Obj {
  assert.ok(isObj(v), `${what}: expected a mapping, got ${JSON.stringify(v)}`);
  return v;
}
function arr(v: unknown, what: string): unknown[] {
  assert.ok(Array.isArray(v), `${what}: expected a list, got ${JSON.stringify(v)}`);
  return v;
}
function str(v: unknown, what: string): string {
  assert.equal(typeof v, 'string', `${what}: expected a string, got ${JSON.stringify(v)}`);
  return v as string;
}
const optArr = (v: unknown, what: string): unknown[] => (v === undefined || v === null ? [] : arr(v, what));

// ---------------------------------------------------------------------------------------
// What the code says.

/** Service directories that have an entry point: services/<name>/src/main.ts. */
const serviceNames: string[] = readdirSync(rel('services'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(rel('services', d.name, 'src', 'main.ts')))
  .map((d) => d.name)
  .sort();
const isService = (name: string) => existsSync(rel('services', name, 'src', 'main.ts'));

const catalogText = read('services', 'router', 'catalog.yaml');
const catalog = obj(parse(catalogText), 'services/router/catalog.yaml');
const catalogProviders = arr(catalog['providers'], 'catalog providers').map((p, i) => obj(p, `catalog providers[${i}]`));
const pools: string[] = [...new Set(catalogProviders.map((p, i) => str(p['pool'], `catalog providers[${i}].pool`)))].sort();
/** The catalog's provider names per pool (Secret keys are `<provider>-api-key`). */
const providersOfPool = (pool: string) => catalogProviders.filter((p) => p['pool'] === pool).map((p) => String(p['name']));
/** The API kind a pool's providers speak (the worker's PROVIDER_API); `tool` pools call no provider. */
const apiOfPool = (pool: string) => String(catalogProviders.find((p) => p['pool'] === pool)?.['api'] ?? 'openai-chat');

/** The PROVIDER_TOOL_* environment the launcher gives each http-tool pool (from the catalog). */
const toolEnvOfPool = catalogPoolToolEnv(defaultCatalogPath);

/** The names of the `NAME: <zod schema>` keys in a config source file. */
function envKeys(source: string): Set<string> {
  return new Set([...source.matchAll(/^\s*([A-Z][A-Z0-9_]*)\s*:/gm)].map((m) => m[1]!));
}
const commonSource = read('libs', 'config', 'src', 'index.ts');
const commonNames = envKeys(commonSource);
// A service's variables: its config.ts, and the config.ts of any of its concern folders
// (ingress's batch/config.ts).
const configSource = new Map(
  serviceNames.map((s) => {
    const src = path.join(root, 'services', s, 'src');
    const nested = existsSync(src) ? readdirSync(src, { withFileTypes: true }).filter((e) => e.isDirectory() && existsSync(path.join(src, e.name, 'config.ts'))).map((e) => read('services', s, 'src', e.name, 'config.ts')) : [];
    return [s, [read('services', s, 'src', 'config.ts'), ...nested].join('\n')];
  }),
);

/** Every variable a service reads: its schema's keys, commonEnv's when it spreads them. */
function envNamesOf(service: string): Set<string> {
  const source = configSource.get(service);
  assert.ok(source !== undefined, `services/${service}/src/config.ts is missing`);
  const names = envKeys(source);
  if (source.includes('...commonEnv')) for (const n of commonNames) names.add(n);
  return names;
}
/** OpenTelemetry's own variables are read by the SDK and libs/telemetry. */
const isReadBy = (service: string, name: string) => name.startsWith('OTEL_') || envNamesOf(service).has(name);

/** The numeric `.default(n)` of a variable: the service's schema first, then commonEnv. */
function numericDefault(service: string, name: string): number | undefined {
  const re = new RegExp(`^\\s*${name}\\s*:[^\\n]*\\.default\\((\\d+)\\)`, 'm');
  for (const source of [configSource.get(service) ?? '', commonSource]) {
    const m = re.exec(source);
    if (m) return Number(m[1]);
  }
  return undefined;
}
/** The value a service uses: the one set in its environment, else its schema default. */
function effectiveNumber(service: string, env: ReadonlyMap<string, string>, name: string): number {
  const set = env.get(name);
  if (set !== undefined && set.trim() !== '') return Number(set);
  const d = numericDefault(service, name);
  assert.ok(d !== undefined, `${service}: no default found for ${name} in its config.ts or commonEnv`);
  return d;
}

/** The topics that must exist: the fixed ones and one work topic per pool. */
const requiredTopics: string[] = [...Object.values(Topics).map((t) => t.name), ...pools.map((p) => workTopic(p).name)].sort();
const topicsIn = (script: string) => new Set(script.match(/\bllm\.[a-z0-9-]+(?:\.[a-z0-9-]+)*\.v\d+\b/g) ?? []);

const rootVersion = str(obj(JSON.parse(read('package.json')), 'package.json')['version'], 'package.json version');
const kafkaVersion = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(read('deploy', 'kafka', 'pom.xml'))?.[1];

/** The Deployment names expected for the services: one per service, one worker per pool. */
const expectedDeployments: string[] = serviceNames.flatMap((s) => (s === 'worker' ? pools.map((p) => `worker-${p}`) : [s])).sort();

// ---------------------------------------------------------------------------------------
// k8s/

const k8sDir = rel('k8s');
const k8sFiles = existsSync(k8sDir) ? readdirSync(k8sDir).filter((f) => /\.ya?ml$/.test(f)).sort() : [];

interface Manifest {
  file: string;
  doc: Obj;
  kind: string;
  name: string;
}
const manifests: Manifest[] = k8sFiles.flatMap((file) => {
  const docs = parseAllDocuments(readFileSync(path.join(k8sDir, file), 'utf8'));
  return docs.flatMap((d, i) => {
    assert.deepEqual(d.errors.map((e) => e.message), [], `k8s/${file} document ${i + 1} does not parse`);
    const js: unknown = d.toJS();
    if (js === null || js === undefined) return [];
    const doc = obj(js, `k8s/${file} document ${i + 1}`);
    const meta = obj(doc['metadata'] ?? {}, `k8s/${file} metadata`);
    return [{ file, doc, kind: str(doc['kind'], `k8s/${file} kind`), name: String(meta['name'] ?? '') }];
  });
});
const ofKind = (kind: string) => manifests.filter((m) => m.kind === kind);
const find = (kind: string, name: string) => manifests.find((m) => m.kind === kind && m.name === name);

function podSpec(m: Manifest): Obj {
  const spec = obj(m.doc['spec'], `${m.kind}/${m.name} spec`);
  return obj(obj(spec['template'], `${m.kind}/${m.name} template`)['spec'], `${m.kind}/${m.name} pod spec`);
}
function podLabels(m: Manifest): Obj {
  const spec = obj(m.doc['spec'], `${m.kind}/${m.name} spec`);
  return obj(obj(obj(spec['template'], 'template')['metadata'], `${m.kind}/${m.name} template metadata`)['labels'], `${m.kind}/${m.name} pod labels`);
}
const imageRepo = 'ghcr.io/yardmaster/yardmaster';
/** The Yardmaster container of a Deployment (the one running the Yardmaster image). */
function mainContainer(m: Manifest): Obj {
  const containers = arr(podSpec(m)['containers'], `${m.name} containers`).map((c, i) => obj(c, `${m.name} containers[${i}]`));
  const ours = containers.filter((c) => String(c['image']).startsWith(`${imageRepo}:`));
  assert.equal(ours.length, 1, `Deployment ${m.name}: expected exactly one container running ${imageRepo}`);
  return ours[0]!;
}
const serviceOf = (m: Manifest) => str(optArr(mainContainer(m)['args'], `${m.name} args`)[0], `Deployment ${m.name} args[0]`);

/** The environment a container gets: envFrom ConfigMaps first, then `env` (which wins). */
function containerEnv(container: Obj, where: string): { env: Map<string, string>; secretRefs: Map<string, Obj> } {
  const env = new Map<string, string>();
  const secretRefs = new Map<string, Obj>();
  for (const [i, e] of optArr(container['envFrom'], `${where} envFrom`).entries()) {
    const from = obj(e, `${where} envFrom[${i}]`);
    assert.equal(from['secretRef'], undefined, `${where}: envFrom secretRef cannot be checked; use env[].valueFrom.secretKeyRef`);
    assert.equal(from['prefix'], undefined, `${where}: envFrom prefix is not supported by this check`);
    const cmName = str(obj(from['configMapRef'], `${where} envFrom[${i}].configMapRef`)['name'], `${where} configMapRef.name`);
    const cm = find('ConfigMap', cmName);
    assert.ok(cm, `${where}: envFrom names ConfigMap ${cmName}, which is not in k8s/`);
    for (const [k, v] of Object.entries(obj(cm.doc['data'] ?? {}, `ConfigMap ${cmName} data`))) env.set(k, String(v));
  }
  for (const [i, e] of optArr(container['env'], `${where} env`).entries()) {
    const entry = obj(e, `${where} env[${i}]`);
    const name = str(entry['name'], `${where} env[${i}].name`);
    if (entry['valueFrom'] !== undefined) {
      const ref = obj(obj(entry['valueFrom'], `${where} ${name} valueFrom`)['secretKeyRef'], `${where} ${name}: only secretKeyRef is supported`);
      secretRefs.set(name, ref);
      env.set(name, '');
    } else {
      env.set(name, String(entry['value'] ?? ''));
    }
  }
  return { env, secretRefs };
}

/** Resolves a probe or Service port (number or container port name) to a number. */
function resolvePort(port: unknown, container: Obj, where: string): number {
  if (typeof port === 'number') return port;
  const named = optArr(container['ports'], `${where} ports`)
    .map((p) => obj(p, `${where} port`))
    .find((p) => p['name'] === port);
  assert.ok(named, `${where}: port "${String(port)}" is not a named container port`);
  return Number(named['containerPort']);
}

const deployments = ofKind('Deployment');
const deploymentEnv = new Map(deployments.map((d) => [d.name, containerEnv(mainContainer(d), `Deployment ${d.name}`)]));
const envOf = (name: string) => {
  const e = deploymentEnv.get(name);
  assert.ok(e, `no Deployment ${name}`);
  return e;
};

describe('k8s manifests', () => {
  it('exist, parse, are all listed in kustomization.yaml and live in namespace yardmaster', () => {
    assert.ok(k8sFiles.length > 0, 'k8s/ has no YAML files');
    const kustomization = find('Kustomization', '') ?? ofKind('Kustomization')[0];
    assert.ok(kustomization && kustomization.file === 'kustomization.yaml', 'k8s/kustomization.yaml is missing');
    const listed = optArr(kustomization.doc['resources'], 'kustomization resources').map(String).sort();
    assert.deepEqual(listed, k8sFiles.filter((f) => f !== 'kustomization.yaml'), 'kustomization.yaml resources must list every other k8s/*.yaml');
    assert.equal(kustomization.doc['namespace'], 'yardmaster');
    assert.ok(find('Namespace', 'yardmaster'), 'Namespace yardmaster is missing');
    for (const m of manifests) {
      if (m.kind === 'Kustomization' || m.kind === 'Namespace') continue;
      assert.ok(m.name, `k8s/${m.file}: a ${m.kind} without metadata.name`);
      assert.equal(obj(m.doc['metadata'], 'metadata')['namespace'], 'yardmaster', `${m.kind}/${m.name} (k8s/${m.file}) is not in namespace yardmaster`);
    }
  });

  it('have one Deployment per service and one worker Deployment per catalog pool', () => {
    assert.deepEqual(deployments.map((d) => d.name).sort(), expectedDeployments);
    for (const d of deployments) {
      const service = serviceOf(d);
      assert.ok(isService(service), `Deployment ${d.name}: args[0] "${service}" is not a service (no services/${service}/src/main.ts)`);
      assert.equal(service, d.name.startsWith('worker-') ? 'worker' : d.name, `Deployment ${d.name} runs ${service}`);
    }
  });

  it('run the image of this version as a non-root user, with resources and a long enough grace period', () => {
    for (const d of deployments) {
      const c = mainContainer(d);
      assert.equal(c['image'], `${imageRepo}:${rootVersion}`, `Deployment ${d.name} image`);
      const pod = podSpec(d);
      const podSec = isObj(pod['securityContext']) ? pod['securityContext'] : {};
      const cSec = isObj(c['securityContext']) ? c['securityContext'] : {};
      assert.equal(cSec['runAsNonRoot'] ?? podSec['runAsNonRoot'], true, `Deployment ${d.name}: runAsNonRoot`);
      const uid = cSec['runAsUser'] ?? podSec['runAsUser'];
      if (uid !== undefined) assert.notEqual(uid, 0, `Deployment ${d.name}: runAsUser 0`);
      const resources = obj(c['resources'], `Deployment ${d.name} resources`);
      for (const section of ['requests', 'limits']) {
        const r = obj(resources[section], `Deployment ${d.name} resources.${section}`);
        for (const key of ['cpu', 'memory']) assert.ok(r[key] !== undefined && r[key] !== '', `Deployment ${d.name}: resources.${section}.${key}`);
      }
      const shutdownMs = effectiveNumber(serviceOf(d), envOf(d.name).env, 'SHUTDOWN_TIMEOUT_MS');
      const grace = Number(pod['terminationGracePeriodSeconds'] ?? 30);
      assert.ok(grace >= shutdownMs / 1000, `Deployment ${d.name}: terminationGracePeriodSeconds ${grace} < SHUTDOWN_TIMEOUT_MS ${shutdownMs} ms`);
    }
  });

  it('set only environment variables the service reads', () => {
    for (const d of deployments) {
      const service = serviceOf(d);
      for (const name of envOf(d.name).env.keys()) {
        assert.ok(isReadBy(service, name), `Deployment ${d.name}: ${name} is not read by ${service} (services/${service}/src/config.ts, commonEnv)`);
      }
    }
    for (const cm of ofKind('ConfigMap').filter((c) => c.name === 'yardmaster-env')) {
      for (const name of Object.keys(obj(cm.doc['data'], 'yardmaster-env data'))) {
        assert.ok(name.startsWith('OTEL_') || commonNames.has(name), `ConfigMap yardmaster-env: ${name} is not a commonEnv variable`);
      }
    }
  });

  it("pass each service's own configuration validation (compiled services only)", (t) => {
    for (const d of deployments) {
      const service = serviceOf(d);
      const compiled = rel('services', service, 'dist', 'config.js');
      if (!existsSync(compiled)) {
        t.diagnostic(`skipped ${d.name}: ${path.relative(root, compiled)} not built (run npm run build)`);
        continue;
      }
      const mod = require(compiled) as Record<string, unknown>;
      const cls = Object.values(mod).find((v) => typeof v === 'function' && typeof (v as { fromEnv?: unknown }).fromEnv === 'function') as
        | { fromEnv(env: Record<string, string | undefined>): unknown }
        | undefined;
      assert.ok(cls, `${compiled} exports no config class with fromEnv`);
      const env = Object.fromEntries(envOf(d.name).env);
      // A Secret-backed value is unknown here; an optional secret may be absent.
      for (const name of envOf(d.name).secretRefs.keys()) delete env[name];
      assert.doesNotThrow(() => cls.fromEnv(env), `Deployment ${d.name}: its environment is rejected by ${service}'s config`);
    }
  });

  it('probe /healthz and /readyz on the HTTP_PORT the service listens on', () => {
    for (const d of deployments) {
      const c = mainContainer(d);
      const where = `Deployment ${d.name}`;
      const httpPort = effectiveNumber(serviceOf(d), envOf(d.name).env, 'HTTP_PORT');
      const ports = optArr(c['ports'], `${where} ports`).map((p) => Number(obj(p, 'port')['containerPort']));
      assert.ok(ports.includes(httpPort), `${where}: no containerPort ${httpPort} (HTTP_PORT)`);
      const probes: [string, string, boolean][] = [
        ['livenessProbe', '/healthz', true],
        ['readinessProbe', '/readyz', true],
        ['startupProbe', '/healthz', false],
      ];
      for (const [key, pathExpected, required] of probes) {
        if (!required && c[key] === undefined) continue;
        const get = obj(obj(c[key], `${where} ${key}`)['httpGet'], `${where} ${key}.httpGet`);
        assert.equal(get['path'], pathExpected, `${where} ${key} path`);
        assert.equal(resolvePort(get['port'], c, `${where} ${key}`), httpPort, `${where} ${key} port`);
      }
    }
  });

  it('route every Service to a container port of exactly one Deployment; ingress exposes gRPC and HTTP', () => {
    const services = ofKind('Service');
    for (const s of services) {
      const spec = obj(s.doc['spec'], `Service ${s.name} spec`);
      const selector = obj(spec['selector'], `Service ${s.name} selector`);
      const matches = deployments.filter((d) => Object.entries(selector).every(([k, v]) => podLabels(d)[k] === v));
      assert.equal(matches.length, 1, `Service ${s.name} selects ${matches.length} Deployments`);
      const c = mainContainer(matches[0]!);
      for (const p of optArr(spec['ports'], `Service ${s.name} ports`)) {
        const port = obj(p, `Service ${s.name} port`);
        const target = resolvePort(port['targetPort'] ?? port['port'], c, `Service ${s.name}`);
        const declared = optArr(c['ports'], 'ports').map((x) => Number(obj(x, 'port')['containerPort']));
        assert.ok(declared.includes(target), `Service ${s.name}: targetPort ${target} is not a container port of ${matches[0]!.name}`);
      }
    }
    const targets = (name: string) => {
      const s = services.find((x) => x.name === name);
      assert.ok(s, `Service ${name} is missing`);
      const d = deployments.find((x) => x.name === name)!;
      return optArr(obj(s.doc['spec'], 'spec')['ports'], 'ports').map((p) => {
        const port = obj(p, 'port');
        return resolvePort(port['targetPort'] ?? port['port'], mainContainer(d), `Service ${name}`);
      });
    };
    const ingressEnv = envOf('ingress').env;
    const ingressTargets = targets('ingress');
    assert.ok(ingressTargets.includes(effectiveNumber('ingress', ingressEnv, 'GRPC_PORT')), 'Service ingress does not target GRPC_PORT');
    assert.ok(ingressTargets.includes(effectiveNumber('ingress', ingressEnv, 'HTTP_PORT')), 'Service ingress does not target HTTP_PORT');
    assert.ok(targets('provider-sim').includes(effectiveNumber('provider-sim', envOf('provider-sim').env, 'HTTP_PORT')), 'Service provider-sim does not target its HTTP_PORT');
  });

  it('keep Deployment selectors matching their own pods only', () => {
    for (const d of deployments) {
      const selector = obj(obj(obj(d.doc['spec'], 'spec')['selector'], `${d.name} selector`)['matchLabels'], `${d.name} matchLabels`);
      for (const other of deployments) {
        const matches = Object.entries(selector).every(([k, v]) => podLabels(other)[k] === v);
        assert.equal(matches, other === d, `Deployment ${d.name}'s selector ${matches ? 'matches' : 'misses'} the pods of ${other.name}`);
      }
    }
  });

  it('ship the catalog ConfigMap with exactly services/router/catalog.yaml, mounted where the router\'s ROUTER_CATALOG_PATH and ingress\'s CATALOG_PATH point', () => {
    const cm = find('ConfigMap', 'yardmaster-catalog');
    assert.ok(cm, 'ConfigMap yardmaster-catalog is missing');
    const data = obj(cm.doc['data'], 'yardmaster-catalog data');
    const keys = Object.keys(data);
    assert.equal(keys.length, 1, 'yardmaster-catalog should hold one file');
    const key = keys[0]!;
    const text = str(data[key], `yardmaster-catalog ${key}`);
    assert.deepEqual(parse(text), catalog, 'yardmaster-catalog does not parse to the same catalog as services/router/catalog.yaml');
    assert.equal(text, catalogText, 'yardmaster-catalog text differs from services/router/catalog.yaml (regenerate it)');

    // The router routes with it; ingress lists its models and checks `model` at the door.
    for (const [name, variable] of [['router', 'ROUTER_CATALOG_PATH'], ['ingress', 'CATALOG_PATH']] as const) {
      const d = find('Deployment', name);
      assert.ok(d, `Deployment ${name} is missing`);
      const catalogPath = envOf(name).env.get(variable);
      assert.ok(catalogPath, `${name}: ${variable} is not set (the default is the catalog baked into the image)`);
      const volumes = optArr(podSpec(d)['volumes'], `${name} volumes`).map((v) => obj(v, 'volume'));
      const mounted = optArr(mainContainer(d)['volumeMounts'], `${name} volumeMounts`).flatMap((vm) => {
        const mount = obj(vm, 'volumeMount');
        const volume = volumes.find((v) => v['name'] === mount['name']);
        const source = volume && isObj(volume['configMap']) ? volume['configMap'] : undefined;
        if (!source || source['name'] !== 'yardmaster-catalog') return [];
        const items = optArr(source['items'], 'configMap items').map((i) => obj(i, 'item'));
        const fileName = items.length > 0 ? items.find((i) => i['key'] === key)?.['path'] : key;
        if (typeof fileName !== 'string') return [];
        const mountPath = str(mount['mountPath'], 'mountPath');
        const subPath = mount['subPath'];
        if (typeof subPath === 'string' && subPath !== '') return subPath === fileName ? [mountPath] : [];
        return [path.posix.join(mountPath, fileName)];
      });
      assert.ok(mounted.length > 0, `${name} does not mount ConfigMap yardmaster-catalog`);
      assert.ok(mounted.includes(catalogPath), `${name}: ${variable} ${catalogPath} is not the mounted catalog (${mounted.join(', ')})`);
    }
  });

  it('run one worker per catalog pool, with its provider URL and optional API key Secret', () => {
    const workers = deployments.filter((d) => serviceOf(d) === 'worker');
    const workerPools = workers.map((w) => envOf(w.name).env.get('WORKER_POOL') ?? '');
    assert.deepEqual([...workerPools].sort(), pools, 'worker Deployments\' WORKER_POOL values differ from the catalog pools');
    for (const w of workers) {
      const { env, secretRefs } = envOf(w.name);
      const pool = env.get('WORKER_POOL')!;
      assert.ok(isValidPoolName(pool), `${w.name}: invalid pool name ${pool}`);
      assert.equal(w.name, `worker-${pool}`);
      assert.equal(env.get('PROVIDER_API'), apiOfPool(pool), `${w.name}: PROVIDER_API should be the catalog's api for pool ${pool}`);
      // An HTTP tool pool's request template is the catalog's, as the launcher passes it.
      for (const [k, v] of Object.entries(toolEnvOfPool.get(pool) ?? {})) assert.equal(env.get(k) ?? (k === 'PROVIDER_TOOL_METHOD' ? 'GET' : undefined), v, `${w.name}: ${k} should be the catalog's http_tool value`);
      if (apiOfPool(pool) === 'tool') {
        // A tool runs inside the worker: no provider to reach and no key to hold.
        assert.equal(env.get('PROVIDER_BASE_URL'), undefined, `${w.name}: a tool pool calls no provider`);
        assert.equal(secretRefs.get('PROVIDER_API_KEY'), undefined, `${w.name}: a tool pool needs no key`);
        continue;
      }
      const baseUrl = env.get('PROVIDER_BASE_URL');
      assert.ok(baseUrl && URL.canParse(baseUrl), `${w.name}: PROVIDER_BASE_URL is missing or not a URL`);
      // An in-cluster URL must name a Service of this set on one of its ports.
      const host = new URL(baseUrl).hostname;
      const svc = ofKind('Service').find((s) => host === s.name || host.startsWith(`${s.name}.yardmaster.svc`));
      if (svc) {
        const url = new URL(baseUrl);
        const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
        const ports = optArr(obj(svc.doc['spec'], 'spec')['ports'], 'ports').map((p) => Number(obj(p, 'port')['port']));
        assert.ok(ports.includes(port), `${w.name}: PROVIDER_BASE_URL port ${port} is not a port of Service ${svc.name}`);
      }
      const ref = secretRefs.get('PROVIDER_API_KEY');
      assert.ok(ref, `${w.name}: PROVIDER_API_KEY should come from a Secret`);
      assert.equal(ref['name'], 'yardmaster-provider-keys', `${w.name}: PROVIDER_API_KEY Secret`);
      assert.ok(providersOfPool(pool).map((p) => `${p}-api-key`).includes(String(ref['key'])), `${w.name}: Secret key ${String(ref['key'])} is not <provider>-api-key of pool ${pool}`);
      assert.equal(ref['optional'], true, `${w.name}: the API key Secret should be optional`);
    }
  });

  it('create every topic the pipeline uses', () => {
    const job = find('Job', 'yardmaster-topics');
    assert.ok(job, 'Job yardmaster-topics is missing');
    const containers = arr(podSpec(job)['containers'], 'job containers').map((c) => obj(c, 'container'));
    const script = containers.map((c) => [...optArr(c['command'], 'command'), ...optArr(c['args'], 'args')].join('\n')).join('\n');
    const created = topicsIn(script);
    for (const t of requiredTopics) assert.ok(created.has(t), `Job yardmaster-topics does not create ${t}`);
    assert.ok(script.includes('KAFKA_TOPIC_PREFIX'), 'Job yardmaster-topics ignores KAFKA_TOPIC_PREFIX');
    if (kafkaVersion) for (const c of containers) assert.equal(c['image'], `apache/kafka:${kafkaVersion}`, 'Kafka CLI image should match deploy/kafka/pom.xml');
  });

  /** The service Deployments (provider-sim is a test stand-in: no budget, no autoscaling). */
  const serviceDeployments = () => deployments.filter((d) => d.name !== 'provider-sim');
  const selectorOf = (m: Manifest) => obj(obj(obj(m.doc['spec'], `${m.kind}/${m.name} spec`)['selector'], `${m.kind}/${m.name} selector`)['matchLabels'], `${m.kind}/${m.name} matchLabels`);

  it('give every service a PodDisruptionBudget of one unavailable pod that selects exactly its pods', () => {
    const budgets = ofKind('PodDisruptionBudget');
    for (const d of serviceDeployments()) {
      const mine = budgets.filter((b) => {
        const sel = selectorOf(b);
        return Object.entries(sel).every(([k, v]) => podLabels(d)[k] === v);
      });
      assert.equal(mine.length, 1, `Deployment ${d.name}: ${mine.length} PodDisruptionBudgets select its pods`);
      const spec = obj(mine[0]!.doc['spec'], 'pdb spec');
      // minAvailable would block every drain of a one-replica Deployment.
      assert.equal(spec['maxUnavailable'], 1, `PodDisruptionBudget ${mine[0]!.name}`);
      assert.equal(spec['minAvailable'], undefined, `PodDisruptionBudget ${mine[0]!.name}: use maxUnavailable`);
      assert.deepEqual(selectorOf(mine[0]!), selectorOf(d), `PodDisruptionBudget ${mine[0]!.name} selects other pods than Deployment ${d.name}`);
    }
    for (const b of budgets) assert.ok(serviceDeployments().some((d) => d.name === b.name), `PodDisruptionBudget ${b.name} has no Deployment`);
  });

  it('autoscale every service on CPU within its topics\' partition count, scaling down slowly', () => {
    const job = find('Job', 'yardmaster-topics');
    assert.ok(job, 'Job yardmaster-topics is missing');
    const partitions = Number(containerEnv(obj(arr(podSpec(job)['containers'], 'job containers')[0], 'job container'), 'Job yardmaster-topics').env.get('PARTITIONS'));
    assert.ok(partitions > 0, 'topics-job.yaml sets no PARTITIONS');
    const hpas = ofKind('HorizontalPodAutoscaler');
    assert.deepEqual(hpas.map((h) => obj(obj(h.doc['spec'], 'hpa spec')['scaleTargetRef'], 'scaleTargetRef')['name']).sort(), serviceDeployments().map((d) => d.name).sort());
    for (const h of hpas) {
      const spec = obj(h.doc['spec'], `HPA ${h.name} spec`);
      const target = obj(spec['scaleTargetRef'], `HPA ${h.name} scaleTargetRef`);
      assert.deepEqual([target['apiVersion'], target['kind']], ['apps/v1', 'Deployment'], `HPA ${h.name} target`);
      const d = find('Deployment', String(target['name']))!;
      const min = Number(spec['minReplicas']);
      const max = Number(spec['maxReplicas']);
      // Consumers beyond the partition count of their group's topic sit idle.
      assert.ok(min >= 1 && min <= max && max <= partitions, `HPA ${h.name}: replicas ${min}..${max} outside 1..${partitions} (PARTITIONS)`);
      const replicas = Number(obj(d.doc['spec'], 'deployment spec')['replicas'] ?? 1);
      assert.ok(replicas >= min && replicas <= max, `Deployment ${d.name} starts at ${replicas} replicas, outside its HPA's ${min}..${max}`);
      const metrics = arr(spec['metrics'], `HPA ${h.name} metrics`).map((m) => obj(m, 'metric'));
      const cpu = metrics.find((m) => m['type'] === 'Resource' && obj(m['resource'], 'resource')['name'] === 'cpu');
      assert.ok(cpu, `HPA ${h.name} does not scale on CPU`);
      // A utilization target is a share of the CPU request: the container must set one.
      const requests = obj(obj(mainContainer(d)['resources'], `${d.name} resources`)['requests'], `${d.name} requests`);
      assert.ok(requests['cpu'], `Deployment ${d.name} sets no CPU request for its HPA`);
      const down = obj(obj(spec['behavior'], `HPA ${h.name} behavior`)['scaleDown'], `HPA ${h.name} scaleDown`);
      // Every change of a consumer group's members is a rebalance.
      assert.ok(Number(down['stabilizationWindowSeconds']) >= 120, `HPA ${h.name} scales down within ${String(down['stabilizationWindowSeconds'])} s`);
    }
  });

  it('annotate every pod for Prometheus on the HTTP_PORT that serves /metrics', () => {
    for (const d of deployments) {
      const spec = obj(d.doc['spec'], `${d.name} spec`);
      const annotations = obj(obj(obj(spec['template'], 'template')['metadata'], 'template metadata')['annotations'], `Deployment ${d.name} pod annotations`);
      const httpPort = effectiveNumber(serviceOf(d), envOf(d.name).env, 'HTTP_PORT');
      assert.deepEqual(
        [annotations['prometheus.io/scrape'], annotations['prometheus.io/port'], annotations['prometheus.io/path']],
        ['true', String(httpPort), '/metrics'],
        `Deployment ${d.name} scrape annotations`,
      );
    }
  });
});

// ---------------------------------------------------------------------------------------
// Dockerfile and its entry point

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const instructions = dockerfile
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  const stages: string[][] = [];
  for (const line of instructions) {
    if (/^FROM\s/i.test(line)) stages.push([]);
    stages.at(-1)?.push(line);
  }
  const runtime = stages.at(-1) ?? [];
  const entrypointScript = rel('deploy', 'docker-entrypoint.sh');

  it('builds on Node 24 and runs as the non-root node user', () => {
    assert.ok(stages.length >= 2, 'expected a multi-stage build');
    const args = new Map([...dockerfile.matchAll(/^ARG\s+(\w+)=(\S+)/gm)].map((m) => [m[1]!, m[2]!]));
    for (const stage of stages) {
      const image = stage[0]!.split(/\s+/)[1]!.replace(/^\$\{(\w+)\}$/, (_, n: string) => args.get(n) ?? '');
      assert.match(image, /^node:24(?:[.-]|$)/, `stage "${stage[0]}" is not a Node 24 image`);
    }
    assert.ok(runtime.some((l) => /^RUN\s.*npm ci\b/.test(l)) || stages.some((s) => s.some((l) => /^RUN\s.*npm ci\b/.test(l))), 'npm ci');
    assert.ok(stages.some((s) => s.some((l) => /^RUN\s.*npm run build\b/.test(l))), 'npm run build');
    assert.ok(stages.some((s) => s.some((l) => /^RUN\s.*npm prune --omit=dev\b/.test(l))), 'npm prune --omit=dev');
    const users = runtime.filter((l) => /^USER\s/i.test(l));
    assert.ok(users.length > 0, 'runtime stage sets no USER');
    assert.match(users.at(-1)!, /^USER\s+(node|1000)(:\S+)?$/, 'runtime stage should run as node');
  });

  it('exposes the gRPC port and every HTTP port, and ships the files read at run time', () => {
    const exposed = new Set(runtime.filter((l) => /^EXPOSE\s/i.test(l)).flatMap((l) => l.split(/\s+/).slice(1).map((p) => Number(p.split('/')[0]))));
    const wanted = new Set([numericDefault('ingress', 'GRPC_PORT')!, ...serviceNames.map((s) => numericDefault(s, 'HTTP_PORT')!)]);
    for (const p of wanted) assert.ok(exposed.has(p), `EXPOSE is missing ${p}`);
    // Data files loaded at run time, relative to the compiled code.
    for (const file of ['services/router/catalog.yaml', 'libs/classifier/model']) assert.ok(dockerfile.includes(file), `the image does not get ${file}`);
    const ignore = read('.dockerignore');
    for (const pattern of ['node_modules', 'dist']) assert.ok(ignore.split('\n').some((l) => l.trim().endsWith(pattern)), `.dockerignore does not exclude ${pattern}`);
  });

  it('starts through deploy/docker-entrypoint.sh, which knows exactly the services', () => {
    const entry = runtime.find((l) => /^ENTRYPOINT\s/i.test(l));
    assert.ok(entry?.includes('deploy/docker-entrypoint.sh'), 'ENTRYPOINT is not deploy/docker-entrypoint.sh');
    const script = readFileSync(entrypointScript, 'utf8');
    const caseLine = script.split('\n').find((l) => /^\s*[a-z][a-z0-9-]*(\|[a-z][a-z0-9-]*)+\)\s*$/.test(l));
    assert.ok(caseLine, 'docker-entrypoint.sh has no `a|b|c)` case for the service names');
    assert.deepEqual(caseLine.trim().slice(0, -1).split('|').sort(), serviceNames, 'docker-entrypoint.sh services differ from services/*');
    assert.match(script, /services\/\$service\/dist\/main\.js/, 'docker-entrypoint.sh does not run services/<name>/dist/main.js');
  });

  it('rejects an unknown or missing service name with a clear error', () => {
    for (const args of [['no-such-service'], []]) {
      const r = spawnSync('sh', [entrypointScript, ...args], { encoding: 'utf8' });
      assert.notEqual(r.status, 0, `docker-entrypoint.sh ${args.join(' ')} should fail`);
      assert.match(r.stderr, /ingress/, 'the error should list the services');
      if (args.length > 0) assert.match(r.stderr, /unknown service "no-such-service"/);
    }
  });
});

// ---------------------------------------------------------------------------------------
// deploy/docker-compose.yml

describe('docker-compose.yml', () => {
  const compose = obj(parse(read('deploy', 'docker-compose.yml'), { merge: true }), 'docker-compose.yml');
  const services = obj(compose['services'], 'compose services');
  const listOf = (v: unknown): string[] => (typeof v === 'string' ? [v] : optArr(v, 'command').map(String));
  const envMap = (v: unknown): Map<string, string> => {
    if (Array.isArray(v)) return new Map(v.map((e) => String(e).split(/=(.*)/s) as [string, string]).map(([k, val]) => [k, val ?? '']));
    return new Map(Object.entries(isObj(v) ? v : {}).map(([k, val]) => [k, val === null ? '' : String(val)]));
  };
  /** Compose services running the Yardmaster image (built from the repository's Dockerfile). */
  const ours = Object.entries(services)
    .map(([name, s]) => ({ name, s: obj(s, `compose ${name}`) }))
    .filter(({ s }) => isObj(s['build']) || String(s['image'] ?? '').startsWith('yardmaster'));

  it('runs real services: one per service directory and one worker per pool', () => {
    const names: string[] = [];
    for (const { name, s } of ours) {
      const command = listOf(s['command']);
      const service = command[0] ?? '';
      assert.ok(isService(service), `compose ${name}: command "${command.join(' ')}" does not name a service`);
      names.push(service === 'worker' ? `worker-${envMap(s['environment']).get('WORKER_POOL') ?? '?'}` : service);
    }
    assert.deepEqual(names.sort(), expectedDeployments);
  });

  it('sets only variables the services read, with the right ports and grace period', () => {
    for (const { name, s } of ours) {
      const service = listOf(s['command'])[0]!;
      const env = envMap(s['environment']);
      for (const key of env.keys()) assert.ok(isReadBy(service, key), `compose ${name}: ${key} is not read by ${service}`);
      const httpPort = effectiveNumber(service, env, 'HTTP_PORT');
      for (const mapping of optArr(s['ports'], 'ports').map(String)) {
        const container = Number(mapping.split(':').at(-1)!.split('/')[0]);
        const allowed = [httpPort, ...(service === 'ingress' ? [effectiveNumber(service, env, 'GRPC_PORT')] : [])];
        assert.ok(allowed.includes(container), `compose ${name}: published container port ${container} is not one ${service} listens on (${allowed.join(', ')})`);
      }
      const health = listOf(isObj(s['healthcheck']) ? s['healthcheck']['test'] : []).join(' ');
      for (const m of health.matchAll(/https?:\/\/[^:/'"\s]+:(\d+)\/(\w+)/g)) {
        assert.equal(Number(m[1]), httpPort, `compose ${name}: healthcheck port`);
        assert.ok(['healthz', 'readyz'].includes(m[2]!), `compose ${name}: healthcheck path /${m[2]}`);
      }
      const grace = /^(\d+)s$/.exec(String(s['stop_grace_period'] ?? '10s'));
      assert.ok(grace, `compose ${name}: stop_grace_period should be given in seconds`);
      const shutdownMs = effectiveNumber(service, env, 'SHUTDOWN_TIMEOUT_MS');
      assert.ok(Number(grace[1]) >= shutdownMs / 1000, `compose ${name}: stop_grace_period ${grace[0]} < SHUTDOWN_TIMEOUT_MS ${shutdownMs} ms`);
      if (service === 'worker') {
        const pool = env.get('WORKER_POOL') ?? '';
        assert.equal(env.get('PROVIDER_API'), apiOfPool(pool), `compose ${name}: PROVIDER_API should be the catalog's api for pool ${pool}`);
        for (const [k, v] of Object.entries(toolEnvOfPool.get(pool) ?? {})) assert.equal(env.get(k) ?? (k === 'PROVIDER_TOOL_METHOD' ? 'GET' : undefined), v, `compose ${name}: ${k} should be the catalog's http_tool value`);
        if (apiOfPool(pool) === 'tool') continue;
        const url = env.get('PROVIDER_BASE_URL');
        assert.ok(url && URL.canParse(url), `compose ${name}: PROVIDER_BASE_URL`);
        const target = services[new URL(url).hostname];
        if (isObj(target)) {
          const targetService = listOf(target['command'])[0]!;
          assert.equal(Number(new URL(url).port), effectiveNumber(targetService, envMap(target['environment']), 'HTTP_PORT'), `compose ${name}: PROVIDER_BASE_URL port`);
        }
      }
      for (const dep of Object.keys(isObj(s['depends_on']) ? s['depends_on'] : {})) assert.ok(dep in services, `compose ${name}: depends_on ${dep}, which does not exist`);
    }
  });

  it('creates every topic the pipeline uses, with the Kafka version of deploy/kafka/pom.xml', () => {
    const init = Object.values(services)
      .map((s) => obj(s, 'compose service'))
      .map((s) => [...listOf(s['entrypoint']), ...listOf(s['command'])].join('\n'))
      .find((script) => script.includes('kafka-topics.sh'));
    assert.ok(init, 'no compose service creates the topics');
    const created = topicsIn(init);
    for (const t of requiredTopics) assert.ok(created.has(t), `docker-compose.yml does not create ${t}`);
    if (kafkaVersion) {
      for (const [name, s] of Object.entries(services)) {
        const image = String(obj(s, name)['image'] ?? '');
        if (image.startsWith('apache/kafka:')) assert.equal(image, `apache/kafka:${kafkaVersion}`, `compose ${name}: Kafka image version`);
      }
    }
  });
});
