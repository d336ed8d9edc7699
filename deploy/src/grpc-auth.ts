import { InterceptingCall, type Interceptor } from '@grpc/grpc-js';

/** A grpc-js client interceptor that sends `authorization: Bearer <key>` on every call. */
export function bearerInterceptor(apiKey: string): Interceptor {
  return (options, nextCall) =>
    new InterceptingCall(nextCall(options), {
      start(metadata, listener, next) {
        metadata.set('authorization', `Bearer ${apiKey}`);
        next(metadata, listener);
      },
    });
}

/**
 * Client options for `createRouterClient(address, options)` that authenticate every call with
 * `apiKey` (none when undefined: a system with authentication disabled).
 */
export function grpcAuthOptions(apiKey: string | undefined): Record<string, unknown> {
  return apiKey ? { interceptors: [bearerInterceptor(apiKey)] } : {};
}
