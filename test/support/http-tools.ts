import assert from 'node:assert/strict';
import type { Catalog, CatalogHttpTool } from '@yardmaster/catalog';
import { ProviderError, createAdapter, type ProviderAdapter } from '@yardmaster/providers';

/** The ProviderError a call fails with (the test fails if it succeeds or throws anything else). */
export async function providerFailure(p: Promise<unknown>): Promise<ProviderError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof ProviderError, `expected a ProviderError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the call to fail');
}

/** An HTTP tool adapter configured exactly as `catalog` declares `tool` (fields of `over` replaced), calling `baseUrl`. */
export function httpToolAdapter(catalog: Catalog, tool: string, baseUrl: string, over: Partial<CatalogHttpTool> = {}): ProviderAdapter {
  const t = { ...catalog.tools.get(tool)!.provider.http_tool!, ...over };
  return createAdapter('http-tool', { baseUrl, httpTool: { tool: t.tool, method: t.method, path: t.path, headers: t.headers, timeoutMs: t.timeout_ms, notFound: t.not_found } });
}
