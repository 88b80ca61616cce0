export interface LatencyStats {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
}

/** Nearest-rank percentiles in milliseconds, rounded to 0.01 ms. */
export function summarize(samples: number[]): LatencyStats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
  const r = (x: number) => Math.round(x * 100) / 100;
  return { n: sorted.length, p50: r(at(50)), p95: r(at(95)), p99: r(at(99)), mean: r(sorted.reduce((s, x) => s + x, 0) / sorted.length) };
}

export async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}
