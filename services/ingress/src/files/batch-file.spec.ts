import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { CatalogModels } from '../openai/catalog.js';
import { jsonlLines, parseBatchFile } from './batch-file.js';

const catalog = new CatalogModels(path.resolve(__dirname, '..', '..', '..', 'router', 'catalog.yaml'));
const limits = { maxMessages: 8 };
const line = (customId: unknown, over: Record<string, unknown> = {}) =>
  JSON.stringify({ custom_id: customId, method: 'POST', url: '/v1/chat/completions', body: { model: 'auto', messages: [{ role: 'user', content: 'hi' }] }, ...over });

describe('batch files', () => {
  it('splits JSONL on \\n only, dropping a final newline and \\r', () => {
    assert.deepEqual(jsonlLines('a\r\nb\u2028c\n'), ['a', 'b\u2028c']);
    assert.deepEqual(jsonlLines(''), []);
    assert.deepEqual(jsonlLines('a\n\nb'), ['a', '', 'b']);
  });

  it('accepts valid lines and names every bad line with its number, code and param', () => {
    const text = [line('a'), '', '[1]', line(''), line('a'), line('m', { method: 'GET' }), line('u', { url: '/v1/embeddings' }), line('b', { body: { model: 'auto', messages: [] } }), line('s', { body: { model: 'auto', stream: true, messages: [{ role: 'user', content: 'x' }] } }), line('ok2')].join('\n');
    const { valid, problems } = parseBatchFile(text, catalog, limits);
    assert.deepEqual(valid, ['a', 'ok2']);
    assert.deepEqual(
      problems.map((p) => [p.line, p.code, p.param]),
      [
        [2, 'empty_line', null],
        [3, 'invalid_request', null],
        [4, 'missing_custom_id', 'custom_id'],
        [5, 'duplicate_custom_id', 'custom_id'],
        [6, 'invalid_method', 'method'],
        [7, 'invalid_url', 'url'],
        [8, problems[6]!.code, problems[6]!.param],
        [9, problems[7]!.code, 'body.stream'],
      ],
    );
    assert.match(problems[3]!.message, /^Line 5: custom_id 'a' is also on line 1/);
    assert.match(problems[6]!.message, /^Line 8: invalid body: .*messages/);
    assert.ok(problems[6]!.param!.startsWith('body.messages'));
  });
});
