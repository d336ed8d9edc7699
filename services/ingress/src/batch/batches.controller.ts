import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { FINAL_BATCH_STATUSES, RedisBatches, type BatchRecord } from '@yardmaster/store';
import type { FastifyRequest } from 'fastify';
import { DoorService } from '../door/door.service.js';
import { BATCH_ENDPOINTS } from '../files/batch-file.js';
import { OpenAiError } from '../openai/errors.js';
import { BatchService, newId } from './batch.service.js';
import { httpAdmitBatch, httpTenant } from './caller.js';
import { BatchConfig, windowMs } from './config.js';
import { batchObject } from './objects.js';

/**
 * How long a batch's owner record outlives its completion window: its last lines' usage is
 * charged through it after the window closes (the usage consumer may be behind).
 */
const OWNER_GRACE_S = 24 * 3600;

const KNOWN = new Set(['input_file_id', 'endpoint', 'completion_window', 'metadata', 'output_expires_after']);

/**
 * OpenAI's Batch API: `POST /v1/batches`, `GET /v1/batches/{id}`, `GET /v1/batches` (`after`,
 * `limit`) and `POST /v1/batches/{id}/cancel`, in OpenAI's object shapes. Batches belong to the
 * caller's tenant; another tenant's batch is answered as not found. Creating one goes through
 * the door like a chat completion (the key's rate limits and budgets, 429 when spent), and the
 * batch id's owner record is what its lines are charged through.
 */
@Controller('v1/batches')
export class BatchesController {
  constructor(
    @Inject(DoorService) private readonly door: DoorService,
    @Inject(RedisBatches) private readonly batches: RedisBatches,
    @Inject(BatchConfig) private readonly config: BatchConfig,
    @Inject(BatchService) private readonly feeder: BatchService,
  ) {}

  private async owned(tenantId: string, id: string): Promise<BatchRecord> {
    const b = await this.batches.get(id);
    if (!b || b.tenantId !== tenantId) throw new OpenAiError(404, `No batch found with id '${id}'.`, 'invalid_request_error', 'id', 'batch_not_found');
    return b;
  }

  @Post()
  @HttpCode(200)
  async create(@Req() req: FastifyRequest, @Body() body: unknown): Promise<Record<string, unknown>> {
    const tenantId = await httpTenant(this.door, req);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw OpenAiError.invalid(null, 'The request body must be a JSON object.', 'invalid_body');
    const o = body as Record<string, unknown>;
    for (const k of Object.keys(o)) if (!KNOWN.has(k)) throw OpenAiError.invalid(k, `Unrecognized request argument supplied: ${k}`, 'unknown_parameter');
    const inputFileId = o['input_file_id'];
    if (typeof inputFileId !== 'string' || inputFileId === '') throw OpenAiError.invalid('input_file_id', "Missing required parameter: 'input_file_id'.", 'missing_required_parameter');
    const endpoint = o['endpoint'];
    if (typeof endpoint !== 'string' || !BATCH_ENDPOINTS.includes(endpoint)) {
      throw OpenAiError.invalid('endpoint', `Invalid 'endpoint': ${JSON.stringify(endpoint ?? null)}. Supported: ${BATCH_ENDPOINTS.join(', ')}.`, 'invalid_endpoint');
    }
    const window = o['completion_window'];
    if (typeof window !== 'string' || !this.config.completionWindows.includes(window)) {
      throw OpenAiError.invalid('completion_window', `Invalid 'completion_window': ${JSON.stringify(window ?? null)}. Supported: ${this.config.completionWindows.join(', ')}.`, 'invalid_completion_window');
    }
    const metadata = o['metadata'] ?? null;
    if (metadata !== null) {
      if (typeof metadata !== 'object' || Array.isArray(metadata)) throw OpenAiError.invalid('metadata', "Invalid 'metadata': expected an object of strings.");
      const entries = Object.entries(metadata);
      if (entries.length > 16) throw OpenAiError.invalid('metadata', "Invalid 'metadata': at most 16 keys.");
      for (const [k, v] of entries) {
        if (k.length > 64) throw OpenAiError.invalid(`metadata.${k}`, 'Invalid metadata key: at most 64 characters.');
        if (typeof v !== 'string' || v.length > 512) throw OpenAiError.invalid(`metadata.${k}`, 'Invalid metadata value: a string of at most 512 characters.');
      }
    }
    const file = await this.batches.file(inputFileId);
    if (!file || file.tenantId !== tenantId) throw new OpenAiError(404, `No such File object: ${inputFileId}`, 'invalid_request_error', 'input_file_id', 'file_not_found');
    if (file.purpose !== 'batch') throw OpenAiError.invalid('input_file_id', `File ${inputFileId} has purpose '${file.purpose}'; a batch needs a file uploaded with purpose 'batch'.`, 'invalid_file_purpose');
    const limit = this.config.limits(tenantId).maxOpenBatches;
    const id = newId('batch_');
    // Through the door like a request: the caller's rate limits and budgets, and the owner
    // record its lines are charged through.
    await httpAdmitBatch(this.door, req, id, Math.ceil(windowMs(window)! / 1000) + OWNER_GRACE_S);
    const createdAt = Math.floor(Date.now() / 1000);
    const spec = {
      id,
      tenantId,
      inputFileId,
      endpoint,
      completionWindow: window,
      metadata: metadata as Record<string, string> | null,
      createdAt,
      expiresAt: Math.floor((Date.now() + windowMs(window)!) / 1000),
      total: file.lines ?? 0,
    };
    if (!(await this.batches.create(spec, limit))) {
      throw new OpenAiError(429, `Tenant ${tenantId} has ${limit} open batches, the most it may have; wait for one to finish or cancel one.`, 'rate_limit_error', null, 'too_many_open_batches');
    }
    this.feeder.nudge();
    return batchObject((await this.batches.get(spec.id))!);
  }

  @Get()
  async list(@Req() req: FastifyRequest, @Query('after') after?: string, @Query('limit') limitText?: string): Promise<Record<string, unknown>> {
    const tenantId = await httpTenant(this.door, req);
    const limit = limitText === undefined ? 20 : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw OpenAiError.invalid('limit', "Invalid 'limit': a whole number from 1 to 100.");
    const { ids, hasMore } = await this.batches.list(tenantId, after, limit);
    const data = (await Promise.all(ids.map((id) => this.batches.get(id)))).filter((b): b is BatchRecord => b !== undefined).map(batchObject);
    return { object: 'list', data, first_id: data[0]?.['id'] ?? null, last_id: data.at(-1)?.['id'] ?? null, has_more: hasMore };
  }

  @Get(':id')
  async retrieve(@Req() req: FastifyRequest, @Param('id') id: string): Promise<Record<string, unknown>> {
    return batchObject(await this.owned(await httpTenant(this.door, req), id));
  }

  @Post(':id/cancel')
  @HttpCode(200)
  async cancel(@Req() req: FastifyRequest, @Param('id') id: string): Promise<Record<string, unknown>> {
    const b = await this.owned(await httpTenant(this.door, req), id);
    if (FINAL_BATCH_STATUSES.has(b.status) || b.status === 'finalizing') {
      if (b.status === 'cancelled') return batchObject(b);
      throw new OpenAiError(409, `Batch ${id} is ${b.status} and cannot be cancelled.`, 'invalid_request_error', null, 'batch_not_cancellable');
    }
    await this.batches.transition(id, ['validating', 'in_progress'], 'cancelling', Math.floor(Date.now() / 1000));
    return batchObject(await this.owned(b.tenantId, id));
  }
}
