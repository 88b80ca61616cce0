import { readFileSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { LatencyStats } from './latency';
import type { LoadResult } from './load';
import type { Sizes } from './sizes';

export interface QueryResult {
  id: string;
  label: string;
  path: string;
  /** undefined when the endpoint did not answer 200 (e.g. not built yet). */
  skipped?: string;
  total?: string;
  totalKind?: string;
  /** Statements per request, the session check included. */
  statements?: number;
  sql?: string[];
  rest?: LatencyStats;
  floor?: LatencyStats;
  ratio?: number;
}

export interface Target {
  name: string;
  met: boolean | undefined;
  detail: string;
}

export interface BenchResults {
  startedAt: string;
  durationSeconds: number;
  size: { name: string; sizes: Sizes };
  machine: { cpus: number; cpuModel: string; ramGb: number; postgres: string; node: string; os: string; postgresSettings: Record<string, string> };
  /** 1-minute load average before and after: other work on the machine shows up in every number. */
  loadAverage: { start: number; end: number };
  data: { generated: boolean; generationSeconds: number };
  iterations: number;
  queries: QueryResult[];
  peer?: { users: number; list: LatencyStats; getOne: LatencyStats; listPath: string };
  load: { name: string; result: LoadResult }[];
  targets: Target[];
}

const P95_TARGET_MS = 50;
const RATIO_TARGET = 1.3;
const PEER_FACTOR_TARGET = 20;

export function evaluateTargets(r: Omit<BenchResults, 'targets'>): Target[] {
  const measured = r.queries.filter((q) => q.rest);
  const skipped = r.queries.filter((q) => q.skipped);
  const slow = measured.filter((q) => q.rest!.p95 > P95_TARGET_MS);
  const skippedNote = skipped.length ? `; not measured: ${skipped.map((q) => `${q.id} (${q.skipped})`).join(', ')}` : '';
  const overRatio = measured.filter((q) => (q.ratio ?? 0) > RATIO_TARGET);
  const list = r.load.find((l) => l.name === 'opsroom list')?.result;
  const peer = r.load.find((l) => l.name === 'json-server list')?.result;
  const factor = list && peer ? list.requestsPerSec / Math.max(1, peer.requestsPerSec) : undefined;
  return [
    {
      name: `every operator query p95 <= ${P95_TARGET_MS} ms through the REST API`,
      met: measured.length ? slow.length === 0 && skipped.length === 0 : undefined,
      detail: (slow.length ? `over: ${slow.map((q) => `${q.id} ${q.rest!.p95} ms`).join(', ')}` : `worst ${Math.max(...measured.map((q) => q.rest!.p95))} ms`) + skippedNote,
    },
    {
      name: `REST p50 <= ${RATIO_TARGET}x the direct-pg p50`,
      met: measured.length ? overRatio.length === 0 : undefined,
      detail: overRatio.length ? `over: ${overRatio.map((q) => `${q.id} ${q.ratio}x`).join(', ')}` : `worst ${Math.max(...measured.map((q) => q.ratio ?? 0))}x`,
    },
    {
      name: `list page >= ${PEER_FACTOR_TARGET}x json-server's requests/s at ${r.peer?.users.toLocaleString('en') ?? '100k'} users`,
      met: factor === undefined ? undefined : factor >= PEER_FACTOR_TARGET,
      detail: factor === undefined ? 'load not run' : `${Math.round(factor * 10) / 10}x (${list!.requestsPerSec} vs ${peer!.requestsPerSec} req/s)`,
    },
  ];
}

const ms = (x: number | undefined) => (x === undefined ? '–' : x.toFixed(x < 10 ? 2 : 1));
const verdict = (t: Target) => (t.met === undefined ? 'not measured' : t.met ? 'met' : 'missed');

export function toMarkdown(r: BenchResults): string {
  const s = r.size.sizes;
  const lines = [
    `Size \`${r.size.name}\`: ${s.users.toLocaleString('en')} users, ${s.creditTransactions.toLocaleString('en')} credit transactions, ${s.generations.toLocaleString('en')} generations, ${s.orders.toLocaleString('en')} orders.`,
    `Machine: ${r.machine.cpus} cores (${r.machine.cpuModel}), ${r.machine.ramGb} GB RAM, PostgreSQL ${r.machine.postgres} (shared_buffers ${r.machine.postgresSettings.shared_buffers}), Node ${r.machine.node}, ${r.machine.os}; server, database and load generator on the same machine.`,
    `Load average (1 min) ${r.loadAverage.start} at the start, ${r.loadAverage.end} at the end${r.loadAverage.start > r.machine.cpus || r.loadAverage.end > r.machine.cpus ? ': other work was running on this machine, so latencies are inflated' : ''}.`,
    `Run ${r.startedAt}, ${r.durationSeconds} s in all${r.data.generated ? ` (data generated in ${r.data.generationSeconds} s)` : ''}. ${r.iterations} sequential requests per query after warm-up; milliseconds.`,
    '',
    '| operator query | REST p50 | REST p95 | REST p99 | pg p50 | pg p95 | pg p99 | REST/pg p50 | total (Content-Range) | statements |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |',
  ];
  for (const q of r.queries) {
    if (q.skipped) {
      lines.push(`| ${q.label} | ${q.skipped} | | | | | | | | |`);
      continue;
    }
    lines.push(
      `| ${q.label}${q.rest && q.rest.n < r.iterations ? ` (${q.rest.n} samples: over the time budget)` : ''} | ${ms(q.rest?.p50)} | ${ms(q.rest?.p95)} | ${ms(q.rest?.p99)} | ${ms(q.floor?.p50)} | ${ms(q.floor?.p95)} | ${ms(q.floor?.p99)} | ${q.ratio?.toFixed(2) ?? '–'}x | ${q.total ?? '–'}${q.totalKind ? ` (${q.totalKind})` : ''} | ${q.statements ?? '–'} |`,
    );
  }
  if (r.peer) {
    lines.push(`| json-server users list, ${r.peer.users.toLocaleString('en')} users | ${ms(r.peer.list.p50)} | ${ms(r.peer.list.p95)} | ${ms(r.peer.list.p99)} | | | | | | |`);
    lines.push(`| json-server getOne user | ${ms(r.peer.getOne.p50)} | ${ms(r.peer.getOne.p95)} | ${ms(r.peer.getOne.p99)} | | | | | | |`);
  }
  lines.push('', '"pg" is the floor: the statements the server sent for that request (captured from its pg client), replayed directly with `pg` in the same order and overlap, without the session check. "statements" counts them with the session check.');
  if (r.load.length) {
    lines.push('', `| load (autocannon, ${r.load[0]!.result.connections} connections, ${r.load[0]!.result.seconds} s) | req/s | p50 ms | p99 ms | non-2xx |`, '| --- | ---: | ---: | ---: | ---: |');
    for (const l of r.load) lines.push(`| ${l.name} | ${l.result.requestsPerSec} | ${l.result.latencyP50} | ${l.result.latencyP99} | ${l.result.non2xx + l.result.errors} |`);
  }
  lines.push('', '| target | result | detail |', '| --- | --- | --- |');
  for (const t of r.targets) lines.push(`| ${t.name} | ${verdict(t)} | ${t.detail} |`);
  return `${lines.join('\n')}\n`;
}

export function writeResults(dir: string, r: BenchResults): { md: string; json: string } {
  mkdirSync(dir, { recursive: true });
  const base = path.join(dir, r.size.name);
  writeFileSync(`${base}.md`, `# opsroom benchmark, size ${r.size.name}\n\n${toMarkdown(r)}`);
  writeFileSync(`${base}.json`, `${JSON.stringify(r, null, 2)}\n`);
  return { md: `${base}.md`, json: `${base}.json` };
}

const START = '<!-- bench:latest:start -->';
const END = '<!-- bench:latest:end -->';

/** Puts the table between the markers of each README that has them; returns the files changed. */
export function updateReadmes(files: string[], r: BenchResults): string[] {
  const changed: string[] = [];
  for (const file of files) {
    if (!existsSync(file)) continue;
    const text = readFileSync(file, 'utf8');
    const a = text.indexOf(START);
    const b = text.indexOf(END);
    if (a < 0 || b < a) continue;
    writeFileSync(file, `${text.slice(0, a + START.length)}\n${toMarkdown(r)}${text.slice(b)}`);
    changed.push(file);
  }
  return changed;
}
