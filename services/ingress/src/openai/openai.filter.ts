import { Catch, HttpException, type ArgumentsHost } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { anthropicErrorBody } from '../anthropic/messages-response.js';
import { OpenAiError } from './errors.js';

/** The status of an error Fastify raised before a handler ran (body too large, bad JSON, media type). */
function fastifyStatus(err: unknown): { status: number; code: string } | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const { statusCode, code } = err as { statusCode?: unknown; code?: unknown };
  // Fastify's own errors carry an FST_ code; the JSON parser's SyntaxError only a statusCode.
  if (typeof statusCode !== 'number' || err instanceof HttpException) return undefined;
  return { status: statusCode, code: typeof code === 'string' ? code : '' };
}

/** Any error on an OpenAI-compatible route, as an {@link OpenAiError}. */
export function toOpenAiError(err: unknown, request: { method: string; url: string }): OpenAiError {
  if (err instanceof OpenAiError) return err;
  // Body parsing fails before a handler runs, as Fastify's error or as Nest's HttpException.
  const fst = fastifyStatus(err) ?? (err instanceof HttpException && [400, 413, 415].includes(err.getStatus()) ? { status: err.getStatus(), code: '' } : undefined);
  if (fst) {
    if (fst.status === 413) return new OpenAiError(413, 'The request body is too large.', 'invalid_request_error', null, 'request_too_large');
    if (fst.status === 415) return new OpenAiError(415, "The request body must be JSON (Content-Type: application/json).", 'invalid_request_error', null, 'unsupported_media_type');
    if (fst.status === 400) {
      return OpenAiError.invalid(null, 'We could not parse the JSON body of your request. The OpenAI API expects a JSON payload.', fst.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ? 'empty_body' : 'invalid_json');
    }
  }
  if (err instanceof HttpException && err.getStatus() === 404) {
    return new OpenAiError(404, `Unknown request URL: ${request.method} ${request.url.split('?')[0]}.`, 'invalid_request_error', null, 'unknown_url');
  }
  if (err instanceof HttpException) return new OpenAiError(err.getStatus(), err.message, err.getStatus() >= 500 ? 'api_error' : 'invalid_request_error');
  return new OpenAiError(500, 'The server had an error while processing your request.', 'api_error', null, 'internal_error');
}

/**
 * Answers errors on `/v1/*` in OpenAI's shape (`{"error": {message, type, param, code}}`) —
 * on `/v1/messages` in Anthropic's (`{"type": "error", "error": {type, message}}`) — with
 * their headers; every other route (health, metrics) keeps Nest's default answers.
 */
@Catch()
export class OpenAiExceptionFilter extends BaseExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    if (!request.url.startsWith('/v1/')) return super.catch(exception, host);
    const reply = http.getResponse<FastifyReply>();
    const err = toOpenAiError(exception, request);
    if (reply.sent || reply.raw.headersSent) return;
    // The Anthropic Messages route answers in Anthropic's error shape.
    const body = /^\/v1\/messages(\?|\/|$)/.test(request.url) ? anthropicErrorBody(err) : err.body();
    void reply.status(err.status).headers(err.headers).send(body);
  }
}
