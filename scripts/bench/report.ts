import { readFileSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { LatencyStats } from './latency';
import type { LoadResult } from './load';
import type { Sizes } from './sizes';
import { medianSample, type StartSample, type StartupResult } from './startup';

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
  /** The Node each contender ran on (the bench process itself is `machine.node`). */
  runtimes?: { opsroom: string; bare: string; peer?: string };
  /** 1-minute load average before and after: other work on the machine shows up in every number. */
  loadAverage: { start: number; end: number };
  data: { generated: boolean; generationSeconds: number };
  iterations: number;
  queries: QueryResult[];
  /** The peer's sequential latencies on the queries both answer (opsroom's are users_recent, user_ledger, get_one). */
  peer?: {
    name: string;
    paths: { list: string; ledger: string; getOne: string };
    list: LatencyStats;
    ledger: LatencyStats;
    getOne: LatencyStats;
    /** opsroom's latencies on the same queries, measured alternately with the peer's, request by request. */
    opsroom?: { list: LatencyStats; ledger: LatencyStats; getOne: LatencyStats };
  };
  /** The median round's result; `rounds` lists every round's req/s. */
  load: { name: string; result: LoadResult; rounds?: number[] }[];
  startup?: StartupResult;
  targets: Target[];
}

const P95_TARGET_MS = 50;
/** `npm start` to /readyz 200 on an empty embedded database, and again on the one it left. */
const STARTUP_TARGET_MS = { fresh: 6000, warm: 3000 } as const;
const CEILING_TARGET = 0.8;
/** The queries opsroom and the peer both answer: opsroom's query id and load name, the peer's key. */
const SHARED = [
  { what: 'users list', query: 'users_recent', load: 'list', peer: 'list' },
  { what: 'ledger', query: 'user_ledger', load: 'ledger', peer: 'ledger' },
  { what: 'getOne', query: 'get_one', load: 'getOne', peer: 'getOne' },
] as const;

const loadOf = (r: Pick<BenchResults, 'load'>, name: string) => r.load.find((l) => l.name === name)?.result;
const round2 = (x: number) => Math.round(x * 100) / 100;

/** opsroom's req/s and p50 under load as a fraction of the bare handler's (with the session lookup), same run. */
export function ceilingRatios(r: Pick<BenchResults, 'load'>) {
  return (['getOne', 'list'] as const).flatMap((what) => {
    const ops = loadOf(r, `opsroom ${what}`);
    const bare = loadOf(r, `bare ${what}`);
    const open = loadOf(r, `bare ${what} (no session)`);
    if (!ops || !bare) return [];
    return [{ what, reqs: round2(ops.requestsPerSec / Math.max(1, bare.requestsPerSec)), p50: round2(ops.latencyP50 / Math.max(0.01, bare.latencyP50)), reqsNoSession: open ? round2(ops.requestsPerSec / Math.max(1, open.requestsPerSec)) : undefined }];
  });
}

export function evaluateTargets(r: Omit<BenchResults, 'targets'>): Target[] {
  const measured = r.queries.filter((q) => q.rest);
  const skipped = r.queries.filter((q) => q.skipped);
  const slow = measured.filter((q) => q.rest!.p95 > P95_TARGET_MS);
  const skippedNote = skipped.length ? `; not measured: ${skipped.map((q) => `${q.id} (${q.skipped})`).join(', ')}` : '';
  const ratios = ceilingRatios(r);
  const targets: Target[] = [
    {
      name: `every operator query p95 <= ${P95_TARGET_MS} ms through the REST API`,
      met: measured.length ? slow.length === 0 && skipped.length === 0 : undefined,
      detail: (slow.length ? `over: ${slow.map((q) => `${q.id} ${q.rest!.p95} ms`).join(', ')}` : `worst ${Math.max(...measured.map((q) => q.rest!.p95))} ms`) + skippedNote,
    },
    {
      name: `opsroom getOne and users list req/s >= ${CEILING_TARGET}x the bare Express + pg handler with the session lookup`,
      met: ratios.length === 2 ? ratios.every((x) => x.reqs >= CEILING_TARGET) : undefined,
      detail: ratios.length ? ratios.map((x) => `${x.what} ${x.reqs}x`).join(', ') : 'load not run',
    },
  ];
  const startup = startupMedians(r.startup);
  if (startup) {
    for (const kind of ['fresh', 'warm'] as const) {
      const x = startup[kind];
      targets.push({
        name: `npm start ${kind} to /readyz 200 <= ${STARTUP_TARGET_MS[kind] / 1000} s`,
        met: x.readyMs <= STARTUP_TARGET_MS[kind],
        detail: `median ${(x.readyMs / 1000).toFixed(1)} s, ${x.ratio}x a bare Express boot (${(startup.baseline.readyMs / 1000).toFixed(2)} s) in the same run`,
      });
    }
  }
  const peer = r.peer;
  // Each comparison lands in one list only, so the detail never names a query opsroom wins as "behind".
  const behind: string[] = [];
  const ahead: string[] = [];
  const compare = (what: string, behindIf: boolean) => (behindIf ? behind : ahead).push(what);
  for (const s of SHARED) {
    const ours = peer?.opsroom?.[s.peer] ?? r.queries.find((q) => q.id === s.query)?.rest;
    const theirs = peer?.[s.peer];
    const opsLoad = loadOf(r, `opsroom ${s.load}`);
    const peerLoad = loadOf(r, `platformatic ${s.load}`);
    if (ours && theirs) compare(`${s.what} p95 ${ours.p95} vs ${theirs.p95} ms`, ours.p95 > theirs.p95);
    if (opsLoad && peerLoad) compare(`${s.what} ${opsLoad.requestsPerSec} vs ${peerLoad.requestsPerSec} req/s`, opsLoad.requestsPerSec < peerLoad.requestsPerSec);
  }
  const compared = behind.length + ahead.length;
  const part = (label: string, xs: string[]) => (xs.length ? [`${label}: ${xs.join(', ')}`] : []);
  targets.push({
    name: `opsroom >= ${peer?.name ?? 'the peer'} on every shared query's req/s and p95`,
    met: compared ? behind.length === 0 : undefined,
    detail: compared ? [...part('behind on', behind), ...part('ahead or level on', ahead)].join('; ') : 'peer not run',
  });
  return targets;
}

/** Median start of each kind, with fresh and warm as multiples of the bare boot's median. */
export function startupMedians(s: StartupResult | undefined) {
  if (!s?.baseline.length || !s.fresh.length || !s.warm.length) return undefined;
  const base = medianSample(s.baseline)!;
  const of = (samples: StartSample[]) => {
    const m = medianSample(samples)!;
    return { ...m, ratio: round2(m.readyMs / Math.max(1, base.readyMs)) };
  };
  return { baseline: base, fresh: of(s.fresh), warm: of(s.warm) };
}

const ms = (x: number | undefined) => (x === undefined ? '–' : x.toFixed(x < 10 ? 2 : 1));
const verdict = (t: Target) => (t.met === undefined ? 'not measured' : t.met ? 'met' : 'missed');

export function toMarkdown(r: BenchResults): string {
  const s = r.size.sizes;
  const lines = [
    `Size \`${r.size.name}\`: ${s.users.toLocaleString('en')} users, ${s.creditTransactions.toLocaleString('en')} credit transactions, ${s.generations.toLocaleString('en')} generations, ${s.orders.toLocaleString('en')} orders.`,
    `Machine: ${r.machine.cpus} cores (${r.machine.cpuModel}), ${r.machine.ramGb} GB RAM, PostgreSQL ${r.machine.postgres} (shared_buffers ${r.machine.postgresSettings.shared_buffers}), Node ${r.machine.node}, ${r.machine.os}; server, database and load generator on the same machine.`,
    ...(r.runtimes
      ? [`Runtimes: opsroom ${r.runtimes.opsroom}, the bare handler ${r.runtimes.bare}${r.runtimes.peer ? `, the peer ${r.runtimes.peer}` : ''} (each server in a child process; the bench client and the pg floor on ${r.machine.node.startsWith('v') ? r.machine.node : `v${r.machine.node}`}).`]
      : []),
    `Load average (1 min) ${r.loadAverage.start} at the start, ${r.loadAverage.end} at the end${r.loadAverage.start > r.machine.cpus || r.loadAverage.end > r.machine.cpus ? ': above the core count (the bench\'s own servers, database and load generator count too), so latencies may be inflated' : ''}.`,
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
    for (const s of SHARED) {
      const t = r.peer[s.peer];
      const ours = r.peer.opsroom?.[s.peer];
      if (ours) lines.push(`| opsroom, alternating with the peer: ${s.what} | ${ms(ours.p50)} | ${ms(ours.p95)} | ${ms(ours.p99)} | | | | | | |`);
      lines.push(`| ${r.peer.name}: ${s.what} (\`${r.peer.paths[s.peer].split('?')[0]}\`) | ${ms(t.p50)} | ${ms(t.p95)} | ${ms(t.p99)} | | | | | | |`);
    }
  }
  lines.push('', '"pg" is the floor: the statements the server sent for that request (captured from its pg client), replayed directly with `pg` in the same order and overlap, without the session check. "statements" counts them with the session check.');
  if (r.load.length) {
    const rounds = r.load[0]!.rounds?.length ?? 1;
    lines.push(
      '',
      `| load (autocannon, ${r.load[0]!.result.connections} connections, ${r.load[0]!.result.seconds} s each; ${rounds} round${rounds > 1 ? 's, every contender once per round, the median round shown' : ''}) | req/s | req/s each round | p50 ms | p97.5 ms | p99 ms | non-2xx |`,
      '| --- | ---: | --- | ---: | ---: | ---: | ---: |',
    );
    for (const l of r.load) lines.push(`| ${l.name} | ${l.result.requestsPerSec} | ${(l.rounds ?? [l.result.requestsPerSec]).join(', ')} | ${l.result.latencyP50} | ${l.result.latencyP97_5 ?? '–'} | ${l.result.latencyP99} | ${l.result.non2xx + l.result.errors} |`);
    const ratios = ceilingRatios(r);
    if (ratios.length) {
      lines.push('', '| opsroom as a share of the bare handler (same run) | req/s, bare with session lookup | p50, bare with session lookup | req/s, bare without |', '| --- | ---: | ---: | ---: |');
      for (const x of ratios) lines.push(`| ${x.what} | ${x.reqs}x | ${x.p50}x | ${x.reqsNoSession ?? '–'}x |`);
    }
    lines.push('', '"bare" is Express 5 + pg and nothing else, sending the statements opsroom sent for that request (captured from its pg client), with opsroom\'s session-lookup statement first ("no session": without it). p50 ratios above 1 mean opsroom is slower.');
  }
  const startup = startupMedians(r.startup);
  if (startup) {
    const sec = (x: number | undefined) => (x === undefined ? '–' : (x / 1000).toFixed(2));
    lines.push(
      '',
      `| start-up, to /readyz 200 (median of ${r.startup!.rounds}, alternating) | ready s | x bare boot | CPU s to ready | first line s | migrations done s | demo seeded s | listening s |`,
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    );
    const row = (name: string, x: StartSample & { ratio?: number }) =>
      lines.push(`| ${name} | ${sec(x.readyMs)} | ${x.ratio ?? 1}x | ${sec(x.cpuMs)} | ${sec(x.phases.firstLine)} | ${sec(x.phases.migrated)} | ${sec(x.phases.seeded)} | ${sec(x.phases.listening)} |`);
    row('bare Express 5 (`node -e`)', startup.baseline);
    row('`npm start`, fresh (empty PGlite folder)', startup.fresh);
    row('`npm start`, warm (the folder the fresh start left)', startup.warm);
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
