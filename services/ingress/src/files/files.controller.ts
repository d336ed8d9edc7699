import '@fastify/multipart';
import { Controller, Delete, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { RedisBatches, type FileRecord } from '@yardmaster/store';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { httpTenant } from '../batch/caller.js';
import { BatchConfig } from '../batch/config.js';
import { newId } from '../batch/batch.service.js';
import { fileObject } from '../batch/objects.js';
import { IngressConfig } from '../config.js';
import { DoorService } from '../door/door.service.js';
import type { CatalogModels } from '../openai/catalog.js';
import { CATALOG_MODELS } from '../openai/chat.controller.js';
import { OpenAiError } from '../openai/errors.js';
import { jsonlLines, parseBatchFile } from './batch-file.js';
import { FileStore } from './file-store.js';

/** Problems listed in one error message (the rest are counted). */
const MAX_LISTED = 20;

/** OpenAI's files.list page size: default and most. */
const LIST_LIMIT = 10_000;

/**
 * OpenAI's Files API for batch input: `POST /v1/files` (multipart, `purpose=batch`, every line
 * validated, errors naming the line), `GET /v1/files` (`purpose`, `limit`, `after`, `order`),
 * `GET /v1/files/{id}`, `GET /v1/files/{id}/content`, `DELETE /v1/files/{id}`. Files belong to the caller's tenant; another tenant's file is
 * answered as not found.
 */
@Controller('v1/files')
export class FilesController {
  constructor(
    @Inject(DoorService) private readonly door: DoorService,
    @Inject(RedisBatches) private readonly batches: RedisBatches,
    @Inject(FileStore) private readonly files: FileStore,
    @Inject(BatchConfig) private readonly config: BatchConfig,
    @Inject(IngressConfig) private readonly ingress: IngressConfig,
    @Inject(CATALOG_MODELS) private readonly catalog: CatalogModels,
  ) {}

  private async owned(tenantId: string, id: string): Promise<FileRecord> {
    const f = await this.batches.file(id);
    if (!f || f.tenantId !== tenantId) throw new OpenAiError(404, `No such File object: ${id}`, 'invalid_request_error', 'id', 'file_not_found');
    return f;
  }

  @Post()
  async upload(@Req() req: FastifyRequest): Promise<Record<string, unknown>> {
    const tenantId = await httpTenant(this.door, req);
    const limits = this.config.limits(tenantId);
    if (!req.isMultipart()) throw OpenAiError.invalid(null, 'Send the file as multipart/form-data with the fields "purpose" and "file".', 'invalid_content_type');
    let purpose: string | undefined;
    let file: { filename: string; bytes: Buffer } | undefined;
    try {
      for await (const part of req.parts()) {
        if (part.type === 'file') {
          if (part.fieldname !== 'file') throw OpenAiError.invalid(part.fieldname, `Unexpected file field '${part.fieldname}'; send the file as 'file'.`);
          file = { filename: part.filename, bytes: await part.toBuffer() };
        } else if (part.fieldname === 'purpose') purpose = String(part.value);
      }
    } catch (err) {
      if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw this.tooLarge(tenantId, limits.maxFileBytes);
      if (err instanceof OpenAiError) throw err;
      throw OpenAiError.invalid(null, `Cannot read the multipart body: ${err instanceof Error ? err.message : String(err)}`, 'invalid_multipart');
    }
    if (purpose === undefined) throw OpenAiError.invalid('purpose', "Missing required parameter: 'purpose'.", 'missing_required_parameter');
    if (purpose !== 'batch') throw OpenAiError.invalid('purpose', `Invalid 'purpose': '${purpose}'. Only 'batch' is supported.`, 'invalid_purpose');
    if (!file) throw OpenAiError.invalid('file', "Missing required parameter: 'file'.", 'missing_required_parameter');
    if (file.bytes.length > limits.maxFileBytes) throw this.tooLarge(tenantId, limits.maxFileBytes);
    const text = file.bytes.toString('utf8');
    const count = jsonlLines(text).length;
    if (count === 0) throw OpenAiError.invalid('file', 'The file is empty; a batch file has one request per line.', 'empty_file');
    if (count > limits.maxFileLines) {
      throw OpenAiError.invalid('file', `The file has ${count} lines; tenant ${tenantId} may send at most ${limits.maxFileLines} lines per batch file. Split it into several batches.`, 'too_many_lines');
    }
    const { problems } = parseBatchFile(text, this.catalog, { maxMessages: this.ingress.limits.maxMessages });
    if (problems.length > 0) {
      const listed = problems.slice(0, MAX_LISTED).map((p) => p.message);
      const more = problems.length > MAX_LISTED ? ` (and ${problems.length - MAX_LISTED} more)` : '';
      const first = problems[0]!;
      throw new OpenAiError(400, `The batch file has ${problems.length} invalid line${problems.length === 1 ? '' : 's'}${more}: ${listed.join(' ')}`, 'invalid_request_error', `line ${first.line}`, first.code === 'duplicate_custom_id' ? 'duplicate_custom_id' : 'invalid_batch_line');
    }
    const record: FileRecord = { id: newId('file-'), tenantId, bytes: file.bytes.length, createdAt: Math.floor(Date.now() / 1000), filename: file.filename, purpose, lines: count };
    await this.files.put(record.id, file.bytes);
    await this.batches.saveFile(record);
    return fileObject(record);
  }

  private tooLarge(tenantId: string, max: number): OpenAiError {
    return new OpenAiError(413, `The file is larger than ${max} bytes, the most tenant ${tenantId} may upload per file.`, 'invalid_request_error', 'file', 'file_too_large');
  }

  @Get()
  async list(
    @Req() req: FastifyRequest,
    @Query('purpose') purpose?: string,
    @Query('limit') limitText?: string,
    @Query('after') after?: string,
    @Query('order') order?: string,
  ): Promise<Record<string, unknown>> {
    const tenantId = await httpTenant(this.door, req);
    const limit = limitText === undefined ? LIST_LIMIT : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > LIST_LIMIT) throw OpenAiError.invalid('limit', `Invalid 'limit': a whole number from 1 to ${LIST_LIMIT}.`);
    if (order !== undefined && order !== 'asc' && order !== 'desc') throw OpenAiError.invalid('order', `Invalid 'order': ${JSON.stringify(order)}. Supported: asc, desc.`);
    if (purpose === '') throw OpenAiError.invalid('purpose', "Invalid 'purpose': empty.");
    const { files, hasMore } = await this.batches.listFiles(tenantId, { limit, order: order ?? 'desc', ...(purpose !== undefined ? { purpose } : {}), ...(after ? { after } : {}) });
    const data = files.map(fileObject);
    return { object: 'list', data, first_id: data[0]?.['id'] ?? null, last_id: data.at(-1)?.['id'] ?? null, has_more: hasMore };
  }

  @Get(':id')
  async retrieve(@Req() req: FastifyRequest, @Param('id') id: string): Promise<Record<string, unknown>> {
    return fileObject(await this.owned(await httpTenant(this.door, req), id));
  }

  @Get(':id/content')
  async content(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Param('id') id: string): Promise<void> {
    const f = await this.owned(await httpTenant(this.door, req), id);
    const file = await this.files.open(f.id);
    if (!file) throw new OpenAiError(404, `The content of file ${id} is gone.`, 'invalid_request_error', 'id', 'file_not_found');
    // Streamed from the store: a batch's output can be hundreds of MB.
    await reply.status(200).header('content-type', 'application/jsonl').header('content-length', String(file.bytes)).send(file.stream);
  }

  @Delete(':id')
  @HttpCode(200)
  async remove(@Req() req: FastifyRequest, @Param('id') id: string): Promise<Record<string, unknown>> {
    const f = await this.owned(await httpTenant(this.door, req), id);
    // An open batch reads its input file until it ends (a feeder taking it over re-reads it).
    for (const batchId of await this.batches.active()) {
      const b = await this.batches.get(batchId);
      if (b && b.inputFileId === f.id) throw new OpenAiError(409, `File ${id} is the input of batch ${b.id}, which is ${b.status}; delete it once the batch has ended (or cancel the batch).`, 'invalid_request_error', 'id', 'file_in_use');
    }
    await this.batches.deleteFile(f);
    await this.files.delete(f.id);
    return { id: f.id, object: 'file', deleted: true };
  }
}
