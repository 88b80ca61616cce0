import { describe, expect, it } from 'vitest';
import { evaluateTargets, type BenchResults } from '../bench/report';

// The figures of the 06:37 UTC quiet run, where the peer target's line listed every comparison as "behind".
const stats = (p95: number) => ({ n: 200, p50: p95 / 2, p95, p99: p95 * 1.5, mean: p95 / 2 });
const load = (name: string, requestsPerSec: number) => ({
  name,
  result: { url: 'http://127.0.0.1/', connections: 10, seconds: 10, requestsPerSec, latencyP50: 1, latencyP97_5: 4, latencyP99: 6, non2xx: 0, errors: 0 },
});
function run(opsroomGetOneP95: number): Omit<BenchResults, 'targets'> {
  return {
    startedAt: '2026-11-24T06:37:39.758Z',
    durationSeconds: 397,
    size: { name: 'default', sizes: { users: 1_000_000, creditTransactions: 5_000_000, generations: 2_000_000, orders: 200_000 } },
    machine: { cpus: 2, cpuModel: 'x', ramGb: 24, postgres: '15', node: 'v20', os: 'linux', postgresSettings: {} },
    loadAverage: { start: 2.7, end: 3.3 },
    data: { generated: false, generationSeconds: 0 },
    iterations: 200,
    queries: [],
    peer: {
      name: 'Platformatic DB 3.67.0',
      paths: { list: '/users', ledger: '/creditTransactions', getOne: '/users/500000' },
      list: stats(116.93),
      ledger: stats(5.48),
      getOne: stats(2.37),
      opsroom: { list: stats(6.15), ledger: stats(4.52), getOne: stats(opsroomGetOneP95) },
    },
    load: [load('opsroom getOne', 4410), load('platformatic getOne', 2835), load('opsroom list', 1603), load('platformatic list', 23), load('opsroom ledger', 1578), load('platformatic ledger', 1441)],
  } as Omit<BenchResults, 'targets'>;
}
const peerTarget = (r: Omit<BenchResults, 'targets'>) => evaluateTargets(r).find((t) => t.name.startsWith('opsroom >= '))!;

describe('the bench report against the peer', () => {
  it('names only the comparisons opsroom loses as behind, the rest as ahead', () => {
    const t = peerTarget(run(2.57));
    expect(t.met).toBe(false);
    expect(t.detail).toBe(
      'behind on: getOne p95 2.57 vs 2.37 ms; ahead or level on: users list p95 6.15 vs 116.93 ms, users list 1603 vs 23 req/s, ledger p95 4.52 vs 5.48 ms, ledger 1578 vs 1441 req/s, getOne 4410 vs 2835 req/s',
    );
  });

  it('says nothing is behind when opsroom wins every comparison', () => {
    const t = peerTarget(run(2.2));
    expect(t.met).toBe(true);
    expect(t.detail).not.toContain('behind');
    expect(t.detail).toContain('getOne p95 2.2 vs 2.37 ms');
  });
});
