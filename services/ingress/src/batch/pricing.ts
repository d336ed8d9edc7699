import { Catalog } from '@yardmaster/catalog';
import type { InferenceResponse } from '@yardmaster/contracts';

/**
 * What a line would have cost at the catalog's most expensive model: its input and output
 * tokens at the highest token prices of any model (per line, so long answers count fully).
 * The catalog is read once at start; a batch's comparison uses the prices of that moment.
 */
export class MostExpensivePrice {
  private readonly models: readonly { name: string; input: number; output: number }[];

  constructor(catalogPath: string) {
    const catalog = Catalog.load(catalogPath);
    this.models = catalog.models.map((m) => ({ name: m.name, input: m.data.input_price_per_mtok, output: m.data.output_price_per_mtok }));
  }

  /** USD of the response's tokens at the most expensive model. */
  costOf(response: InferenceResponse): number {
    const input = response.usage?.inputTokens ?? 0;
    const output = response.usage?.outputTokens ?? 0;
    let max = 0;
    for (const m of this.models) max = Math.max(max, (input * m.input + output * m.output) / 1e6);
    return max;
  }
}
