import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { logLevel, type LogEntry } from 'kafkajs';
import { consumerCrashLog, kafkaLogCreator, restartDelayMs, type BusLogger } from './bus.js';

function recorder(): { logger: BusLogger; lines: Array<[string, string]> } {
  const lines: Array<[string, string]> = [];
  const logger: BusLogger = {
    debug: (m) => lines.push(['debug', m]),
    log: (m) => lines.push(['log', m]),
    warn: (m) => lines.push(['warn', m]),
    error: (m) => lines.push(['error', m]),
  };
  return { logger, lines };
}

function entry(namespace: string, level: logLevel, message: string, error?: string): LogEntry {
  return { namespace, level, label: logLevel[level], log: { timestamp: '', message, ...(error ? { error } : {}) } };
}

describe('kafkajs logs through the bus logger', () => {
  it("sends the consumer's own crash and restart notices and retried error responses to debug, and keeps every other level", () => {
    const { logger, lines } = recorder();
    const log = kafkaLogCreator(logger)();
    log(entry('Consumer', logLevel.ERROR, 'Crash: KafkaJSProtocolError: The coordinator is loading and hence can\'t process requests'));
    log(entry('Consumer', logLevel.ERROR, 'Restarting the consumer in 300ms'));
    log(entry('Connection', logLevel.ERROR, 'Connection error: connect ECONNREFUSED'));
    // An error response kafkajs retries (a fresh broker's coordinator) vs one it does not.
    log(entry('Connection', logLevel.ERROR, 'Response GroupCoordinator(key: 10, version: 2)', 'The group coordinator is not available'));
    log(entry('Connection', logLevel.ERROR, 'Response Produce(key: 0, version: 7)', 'Not authorized to access topics: [Topic authorization failed]'));
    log(entry('Consumer', logLevel.WARN, 'The group is rebalancing'));
    log(entry('Producer', logLevel.INFO, 'connected'));
    const expected: Array<[string, string]> = [
      ['debug', '[kafkajs Consumer] Crash: KafkaJSProtocolError'],
      ['debug', '[kafkajs Consumer] Restarting the consumer'],
      ['error', '[kafkajs Connection] Connection error'],
      ['debug', '[kafkajs Connection] Response GroupCoordinator'],
      ['error', '[kafkajs Connection] Response Produce'],
      ['warn', '[kafkajs Consumer] The group is rebalancing'],
      ['debug', '[kafkajs Producer] connected'],
    ];
    assert.equal(lines.length, expected.length);
    expected.forEach(([level, prefix], i) => {
      assert.equal(lines[i]?.[0], level, prefix);
      assert.ok(lines[i]?.[1].startsWith(prefix), lines[i]?.[1]);
    });
  });

  it('reports a crash the consumer restarts from as a warning and one that stops it as an error', () => {
    const retried = consumerCrashLog('yardmaster-router', new Error('The coordinator is loading'), true);
    assert.equal(retried.level, 'warn');
    assert.match(retried.text, /^consumer yardmaster-router is restarting after a retriable error: Error: The coordinator is loading$/);
    const fatal = consumerCrashLog('yardmaster-router', new Error('Not authorized'), false);
    assert.equal(fatal.level, 'error');
    assert.match(fatal.text, /stopped after an error it cannot retry: Error: Not authorized/);
    const rerun = consumerCrashLog('yardmaster-router', new Error('Failed to find group coordinator'), false, 4000);
    assert.equal(rerun.level, 'error');
    assert.match(rerun.text, /^consumer yardmaster-router crashed with an error kafkajs does not retry: Error: Failed to find group coordinator; starting it again in 4000 ms$/);
  });

  it('waits 1 s before starting a consumer again, doubling with each crash in a row up to 30 s', () => {
    assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 20].map(restartDelayMs), [1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });
});
