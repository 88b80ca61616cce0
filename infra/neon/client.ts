import type { Api } from '@neondatabase/api-client';

// This class runs inside Pulumi's dynamic-provider host, which evaluates a serialized copy of
// it as CommonJS without a TypeScript loader. Serializing module-scope bindings of an ES module
// is fragile, so everything it needs hangs off `this`, and the Neon SDK is loaded at call time
// rather than captured: with a require() built from process.getBuiltinModule, which works the
// same in the ESM program, the CommonJS provider host and the test runner (the SDK is CommonJS).

export const NEON_API_URL = 'https://console.neon.tech/api/v2';

export interface NeonClientOptions {
  /** Wait before the first retry of a 423 (project locked); doubles each time. Default: 1000 ms. */
  retryDelayMs?: number;
  /** Give up after this many attempts at a locked project. Default: 8. */
  maxAttempts?: number;
}

export class NeonClient {
  readonly retryDelayMs: number;
  readonly maxAttempts: number;

  constructor(options: NeonClientOptions = {}) {
    this.retryDelayMs = options.retryDelayMs ?? 1000;
    this.maxAttempts = options.maxAttempts ?? 8;
  }

  async api(apiKey: string, baseUrl?: string): Promise<Api<unknown>> {
    const { createRequire } = process.getBuiltinModule('node:module') as typeof import('node:module');
    const load = createRequire(`${process.cwd()}/`);
    const { createApiClient } = load('@neondatabase/api-client') as typeof import('@neondatabase/api-client');
    return createApiClient({ apiKey, baseURL: baseUrl ?? NEON_API_URL, timeout: 30_000 });
  }

  /** HTTP status of a failed Neon call, if it was an HTTP failure. */
  status(err: unknown): number | undefined {
    return (err as { response?: { status?: number } })?.response?.status;
  }

  /** Neon answers 423 while another operation holds the project; the call succeeds once it ends. */
  async call<T>(what: string, request: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await request();
      } catch (err) {
        if (this.status(err) === 423 && attempt < this.maxAttempts) {
          await new Promise((resolve) => setTimeout(resolve, this.retryDelayMs * 2 ** (attempt - 1)));
          continue;
        }
        throw this.describe(err, what);
      }
    }
  }

  describe(err: unknown, what: string): Error {
    const status = this.status(err);
    if (status === undefined) return err instanceof Error ? err : new Error(String(err));
    const message = (err as { response?: { data?: { message?: string } } }).response?.data?.message;
    const hint = status === 401 ? ' (check opsroom:neonApiKey)' : '';
    return new Error(`Neon API ${what} failed with ${status}: ${message ?? 'no message'}${hint}`, { cause: err });
  }
}
