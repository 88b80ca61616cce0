import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

export interface LoadResult {
  url: string;
  connections: number;
  seconds: number;
  requestsPerSec: number;
  latencyP50: number;
  latencyP97_5: number;
  latencyP99: number;
  non2xx: number;
  errors: number;
}

const autocannonBin = createRequire(import.meta.url).resolve('autocannon/autocannon.js');

/**
 * autocannon in a child process, so the load generator has its own event loop and the server (in
 * the bench process) has the other core; both share this machine, as the issue asks.
 */
export function runLoad(url: string, opts: { connections: number; seconds: number; headers?: Record<string, string> }): Promise<LoadResult> {
  const args = [autocannonBin, '-j', '-c', String(opts.connections), '-d', String(opts.seconds)];
  for (const [k, v] of Object.entries(opts.headers ?? {})) args.push('-H', `${k}=${v}`);
  args.push(url);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`autocannon exited ${code}: ${err.trim().split('\n').at(-1)}`));
      const r = JSON.parse(out) as { requests: { average: number }; latency: { p50: number; p97_5: number; p99: number }; non2xx: number; errors: number };
      resolve({
        url,
        connections: opts.connections,
        seconds: opts.seconds,
        requestsPerSec: Math.round(r.requests.average),
        latencyP50: r.latency.p50,
        latencyP97_5: r.latency.p97_5,
        latencyP99: r.latency.p99,
        non2xx: r.non2xx,
        errors: r.errors,
      });
    });
  });
}

/** The round with the median req/s, and every round's req/s beside it. */
export function medianLoad(rounds: LoadResult[]): { result: LoadResult; rounds: number[] } {
  const sorted = [...rounds].sort((a, b) => a.requestsPerSec - b.requestsPerSec);
  return { result: sorted[Math.floor((sorted.length - 1) / 2)]!, rounds: rounds.map((r) => r.requestsPerSec) };
}
