import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { Catalog } from '@yardmaster/catalog';
import { RouterConfig } from '../config.js';
import { CatalogHolder, InitialCatalog } from './catalog-holder.js';

const SHIPPED = path.join(__dirname, '..', '..', 'catalog.yaml');
const text = readFileSync(SHIPPED, 'utf8');
const withVersion = (v: string) => text.replace(/^version: .*$/m, `version: "${v}"`);

/** Polls `check` until it returns true (no fixed sleeps). */
async function until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('CatalogHolder (hot reload)', () => {
  const holders: CatalogHolder[] = [];
  afterEach(() => {
    for (const h of holders.splice(0)) h.onApplicationShutdown();
  });

  function start(catalogPath: string, pollMs = 100): CatalogHolder {
    const config = RouterConfig.fromEnv({ ROUTER_CATALOG_PATH: catalogPath, ROUTER_CATALOG_POLL_MS: String(pollMs) });
    const holder = new CatalogHolder(new InitialCatalog(Catalog.load(catalogPath)), config);
    holder.onApplicationBootstrap();
    holders.push(holder);
    return holder;
  }

  it('applies a valid change to a plain file without a restart (watch or poll)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ym-reload-'));
    const file = path.join(dir, 'catalog.yaml');
    writeFileSync(file, withVersion('r-1'));
    const holder = start(file);
    assert.equal(holder.current.version, 'r-1');
    writeFileSync(file, withVersion('r-2'));
    await until('version r-2', () => holder.current.version === 'r-2');
    assert.equal(holder.stats.applied, 1);
  });

  it('rejects a bad catalog, lists its problems, counts it and keeps the previous one; a fixed file applies', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ym-reload-'));
    const file = path.join(dir, 'catalog.yaml');
    writeFileSync(file, withVersion('good-1'));
    const holder = start(file);
    writeFileSync(file, withVersion('bad-2').replace('tier: frontier', 'tier: enormous').replace('quality_floor: 0.7', 'quality_floor: 7'));
    await until('the rejection', () => holder.stats.rejected === 1);
    assert.equal(holder.current.version, 'good-1');
    assert.ok(holder.stats.lastProblems.some((p) => /tier/.test(p)), holder.stats.lastProblems.join('\n'));
    assert.ok(holder.stats.lastProblems.some((p) => /quality_floor/.test(p)));
    // The same bad file is not re-reported on every poll.
    await holder.check();
    assert.equal(holder.stats.rejected, 1);
    writeFileSync(file, withVersion('good-3'));
    await until('version good-3', () => holder.current.version === 'good-3');
  });

  it('follows a Kubernetes ConfigMap update (the ..data symlink swapped to a new directory)', async () => {
    // The kubelet's layout: catalog.yaml -> ..data/catalog.yaml, ..data -> ..<timestamp>/
    const dir = mkdtempSync(path.join(tmpdir(), 'ym-configmap-'));
    const v1 = path.join(dir, '..2026_12_06_v1');
    mkdirSync(v1);
    writeFileSync(path.join(v1, 'catalog.yaml'), withVersion('cm-1'));
    symlinkSync('..2026_12_06_v1', path.join(dir, '..data'));
    symlinkSync(path.join('..data', 'catalog.yaml'), path.join(dir, 'catalog.yaml'));
    const holder = start(path.join(dir, 'catalog.yaml'), 60_000); // the watch alone must see it
    assert.equal(holder.current.version, 'cm-1');
    const v2 = path.join(dir, '..2026_12_06_v2');
    mkdirSync(v2);
    writeFileSync(path.join(v2, 'catalog.yaml'), withVersion('cm-2'));
    symlinkSync('..2026_12_06_v2', path.join(dir, '..data_tmp'));
    renameSync(path.join(dir, '..data_tmp'), path.join(dir, '..data'));
    await until('version cm-2', () => holder.current.version === 'cm-2');
  });

  it('keeps the catalog in force while the file is missing', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ym-reload-'));
    const file = path.join(dir, 'catalog.yaml');
    writeFileSync(file, withVersion('m-1'));
    const holder = start(file);
    renameSync(file, path.join(dir, 'moved.yaml'));
    await holder.check();
    assert.equal(holder.current.version, 'm-1');
    writeFileSync(file, withVersion('m-2'));
    await until('version m-2', () => holder.current.version === 'm-2');
  });
});
