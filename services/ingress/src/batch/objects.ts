import type { BatchRecord, FileRecord } from '@yardmaster/store';

/** A file in OpenAI's `file` object shape. */
export function fileObject(f: FileRecord): Record<string, unknown> {
  return { id: f.id, object: 'file', bytes: f.bytes, created_at: f.createdAt, filename: f.filename, purpose: f.purpose, status: 'processed', expires_at: null, status_details: null };
}

const round = (usd: number) => Math.round(usd * 1e9) / 1e9;

/**
 * A batch in OpenAI's `batch` object shape, with a `yardmaster` extension: the spend per model,
 * what the same lines would have cost at the most expensive model, and why it halted early.
 */
export function batchObject(b: BatchRecord): Record<string, unknown> {
  const t = (name: string) => b.times[`${name}_at`] ?? null;
  let cost = 0;
  let mostExpensive = 0;
  const byModel: Record<string, unknown> = {};
  for (const [model, s] of Object.entries(b.spend)) {
    cost += s.costUsd;
    mostExpensive += s.mostExpensiveCostUsd;
    byModel[model] = { requests: s.requests, cost_usd: round(s.costUsd), most_expensive_model_cost_usd: round(s.mostExpensiveCostUsd) };
  }
  return {
    id: b.id,
    object: 'batch',
    endpoint: b.endpoint,
    errors: b.errors.length > 0 ? { object: 'list', data: b.errors.map((e) => ({ code: e.code, message: e.message, param: null, line: e.line })) } : null,
    input_file_id: b.inputFileId,
    completion_window: b.completionWindow,
    status: b.status,
    output_file_id: b.outputFileId,
    error_file_id: b.errorFileId,
    created_at: b.createdAt,
    in_progress_at: t('in_progress'),
    expires_at: b.expiresAt,
    finalizing_at: t('finalizing'),
    completed_at: t('completed'),
    failed_at: t('failed'),
    expired_at: t('expired'),
    cancelling_at: t('cancelling'),
    cancelled_at: t('cancelled'),
    request_counts: { total: b.total, completed: b.completed, failed: b.failed },
    metadata: b.metadata,
    yardmaster: {
      lines_dispatched: b.dispatched,
      lines_live: Math.max(0, b.dispatched - b.completed - b.failed),
      cost_usd: round(cost),
      most_expensive_model_cost_usd: round(mostExpensive),
      by_model: byModel,
      // Why the batch stopped sending lines early (its owner's budget was spent), else null.
      halted: b.halted ? { code: b.halted.body.error.code, message: b.halted.body.error.message } : null,
    },
  };
}
