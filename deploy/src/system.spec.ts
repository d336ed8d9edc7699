import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { catalogPoolApis, catalogPoolToolEnv, defaultCatalogPath } from './system';

describe('the launcher reads each pool of a catalog', () => {
  it('starts the shipped weather and currency pools as http-tool workers with their request templates', () => {
    const apis = catalogPoolApis(defaultCatalogPath);
    assert.equal(apis.get('weather'), 'http-tool');
    assert.equal(apis.get('currency'), 'http-tool');
    const env = catalogPoolToolEnv(defaultCatalogPath);
    assert.deepEqual([...env.keys()].sort(), ['currency', 'weather']);
    assert.deepEqual(env.get('weather'), {
      PROVIDER_TOOL_NAME: 'weather',
      PROVIDER_TOOL_PATH: '/tools/weather?location={location}&when={when}',
      PROVIDER_TOOL_METHOD: 'GET',
      PROVIDER_TOOL_TIMEOUT_MS: '3000',
    });
    assert.equal(env.get('currency')?.PROVIDER_TOOL_PATH, '/tools/currency?from={from}&to={to}&amount={amount}');
  });

  it('passes headers as JSON (the {credential} placeholder, never a key) and ignores other APIs', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ym-launcher-'));
    const file = path.join(dir, 'catalog.yaml');
    writeFileSync(
      file,
      [
        'providers:',
        '  - { name: a, pool: a, api: openai-chat }',
        '  - { name: t, pool: t, api: http-tool, http_tool: { tool: rates, method: POST, path: /r, headers: { x-api-key: "{credential}" }, timeout_ms: 900, not_found: answer } }',
      ].join('\n'),
    );
    assert.deepEqual(Object.fromEntries(catalogPoolToolEnv(file)), {
      t: { PROVIDER_TOOL_NAME: 'rates', PROVIDER_TOOL_PATH: '/r', PROVIDER_TOOL_METHOD: 'POST', PROVIDER_TOOL_HEADERS: '{"x-api-key":"{credential}"}', PROVIDER_TOOL_TIMEOUT_MS: '900', PROVIDER_TOOL_NOT_FOUND: 'answer' },
    });
  });
});
