import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InfraError } from './errors';
import { generateClusterId, renderServerProperties } from './kafka';

/** Parses the rendered file back into key → raw value (last one wins, like Java). */
function parse(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    assert.ok(eq > 0, `not a key=value line: ${line}`);
    map.set(line.slice(0, eq), line.slice(eq + 1));
  }
  return map;
}

describe('renderServerProperties', () => {
  const base = { brokerPort: 19092, controllerPort: 19093, logDir: '/tmp/x/data' };

  it('renders a combined broker+controller KRaft node on loopback', () => {
    const p = parse(renderServerProperties(base));
    assert.equal(p.get('process.roles'), 'broker,controller');
    assert.equal(p.get('node.id'), '1');
    assert.equal(p.get('controller.quorum.bootstrap.servers'), '127.0.0.1:19093');
    assert.equal(p.get('listeners'), 'PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093');
    assert.equal(p.get('advertised.listeners'), 'PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093');
    assert.equal(p.get('controller.listener.names'), 'CONTROLLER');
    assert.equal(p.get('inter.broker.listener.name'), 'PLAINTEXT');
    assert.equal(p.get('listener.security.protocol.map'), 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT');
    assert.equal(p.get('log.dirs'), '/tmp/x/data');
  });

  it('uses single-broker replication settings and test-friendly defaults', () => {
    const p = parse(renderServerProperties(base));
    assert.equal(p.get('offsets.topic.replication.factor'), '1');
    assert.equal(p.get('transaction.state.log.replication.factor'), '1');
    assert.equal(p.get('transaction.state.log.min.isr'), '1');
    assert.equal(p.get('group.initial.rebalance.delay.ms'), '0');
    assert.equal(p.get('auto.create.topics.enable'), 'false');
    assert.equal(p.get('num.partitions'), '1');
  });

  it('takes num.partitions, node id, host and overrides', () => {
    const p = parse(
      renderServerProperties({
        ...base,
        numPartitions: 6,
        nodeId: 3,
        host: '10.0.0.5',
        properties: { 'auto.create.topics.enable': true, 'log.retention.ms': 60000 },
      }),
    );
    assert.equal(p.get('num.partitions'), '6');
    assert.equal(p.get('node.id'), '3');
    assert.equal(p.get('controller.quorum.bootstrap.servers'), '10.0.0.5:19093');
    assert.equal(p.get('auto.create.topics.enable'), 'true');
    assert.equal(p.get('log.retention.ms'), '60000');
  });

  it('renders every key once, even when overridden', () => {
    const text = renderServerProperties({ ...base, properties: { 'num.partitions': 4 } });
    const keys = text.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split('=')[0]);
    assert.equal(new Set(keys).size, keys.length);
  });

  it('escapes backslashes and line breaks in values', () => {
    const p = parse(renderServerProperties({ ...base, logDir: 'C:\\kafka\\data', properties: { 'x.y': 'a\nb' } }));
    assert.equal(p.get('log.dirs'), 'C:\\\\kafka\\\\data');
    assert.equal(p.get('x.y'), 'a\\nb');
  });

  it('rejects bad ports, counts and keys', () => {
    const bad = (o: Partial<Parameters<typeof renderServerProperties>[0]>): void =>
      assert.throws(() => renderServerProperties({ ...base, ...o }), (e: unknown) => e instanceof InfraError && e.code === 'BAD_OPTION');
    bad({ brokerPort: 0 });
    bad({ controllerPort: 70000 });
    bad({ controllerPort: base.brokerPort });
    bad({ numPartitions: 0 });
    bad({ properties: { 'bad key': 1 } });
    bad({ properties: { 'a=b': 1 } });
  });
});

describe('generateClusterId', () => {
  it('makes 22-char base64url ids of 16 bytes that never start with "-"', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const id = generateClusterId();
      assert.match(id, /^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
      assert.equal(Buffer.from(id, 'base64url').length, 16);
      seen.add(id);
    }
    assert.equal(seen.size, 2000);
  });
});
