import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** docs/examples/catalog-orders.yaml (from test/dist/support): the documented order and customer record pools. */
export const ORDERS_CATALOG = path.join(__dirname, '..', '..', '..', 'docs', 'examples', 'catalog-orders.yaml');

/** A catalog with one pool `sim` and one model `sim-small`, so every request goes through the same worker. */
export const SINGLE_POOL_CATALOG = `
version: single-pool-test
providers:
  - { name: sim, pool: sim, api: openai-chat }
models:
  - { name: sim-small, provider: sim, tier: small, input_price_per_mtok: 0.1, output_price_per_mtok: 0.2, price_source: example, context_window: 128000, max_output_tokens: 16000 }
tiers:
  standard: { quality_floor: 0 }
`;

/** Writes `catalog` into a fresh temporary folder (also used for service logs); returns both paths. */
export function writeCatalog(name: string, catalog: string): { dir: string; catalogPath: string } {
  const dir = mkdtempSync(path.join(tmpdir(), `ym-${name}-`));
  const catalogPath = path.join(dir, 'catalog.yaml');
  writeFileSync(catalogPath, catalog);
  return { dir, catalogPath };
}
