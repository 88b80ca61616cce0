import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { queryRows } from '../../src/db/client';
import { createOperator } from '../support/operators';
import { expectNoSecrets, knownSecrets } from './secrets';
import { changedTables, describeHardened, expandResources, fingerprintTables, leaksIn, listRoutes, pool, RecordingSession, reportFigures, scaled, type HardenedServer } from './support';

const SEED = Number(process.env.OPSROOM_FC_SEED ?? 20260611);
const CORPUS = scaled(10_500);
// Thousands of requests through one process; on a busy 2-core machine that can take minutes.
const CORPUS_TIMEOUT = scaled(600_000);

// ---- the pieces hostile requests are made of --------------------------------------------------

const INJECTIONS = [
  "' OR '1'='1",
  "1' OR 1=1 --",
  "1; DROP TABLE users; --",
  "') OR true --",
  'id; DELETE FROM sessions',
  "1 UNION SELECT password_hash, email FROM users --",
  "'; SELECT pg_sleep(10); --",
  '\\x27 OR 1=1',
  '%27%20OR%201%3D1',
  '${7*7}',
  '{{constructor.constructor("return process")()}}',
  '<script>alert(1)</script>',
  '../../../../etc/passwd',
  '%',
  '_',
  '\\',
  '*',
  '%%%%____\\\\',
];
const UNICODE = [
  '\u0000',
  'a\u0000b',
  '\uD800',
  '\uDFFF\uD800',
  '\uFEFF',
  '\u202Eevil\u202C',
  'Ａｄｍｉｎ',
  'e\u0301\u0301\u0301\u0301',
  '👩‍👩‍👧‍👦',
  '\u200B\u200C\u200D',
  'ǅ',
  'İ',
  'ß'.repeat(300),
  '\r\n\t\v\f',
  '𝕏'.repeat(2000),
];
const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', '__defineGetter__', 'hasOwnProperty', 'toString', 'valueOf'];
const OPERATOR_KEYS = ['$ne', '$gt', '$where', '$regex', '$or', 'id_gte', 'id_like', 'email_like', 'role_neq', 'q', 'created_at_lt', 'x_gte', '_gte', 'id__gte'];

const hostileString = fc.oneof(
  fc.constantFrom(...INJECTIONS),
  fc.constantFrom(...UNICODE),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', ' ', 'null', 'undefined', 'NaN', 'true', '[]', '{}', '-0', '1e309', '0x10', '9'.repeat(400)),
);
const hostileNumber = fc.oneof(
  fc.integer(),
  fc.constantFrom(0, -1, -0, 0.5, 2147483647, 2147483648, -2147483649, 9007199254740991, 9007199254740993, 1e21, 1e308, -1e308, 5e-324),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);
const hostileScalar = fc.oneof(hostileString, hostileNumber, fc.boolean(), fc.constant(null));
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: hostileScalar },
  { weight: 1, arbitrary: fc.array(hostileScalar, { maxLength: 5 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.constantFrom(...PROTO_KEYS, ...OPERATOR_KEYS), hostileScalar, { maxKeys: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom([0, 1e6], Array.from({ length: 1500 }, (_, i) => i), { $ne: null }, { __proto__: { admin: true } }) },
);

/** JSON text of an object, written by hand so `__proto__` is an own key on the wire. */
function objectText(pairs: [string, unknown][]): string {
  return `{${pairs.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v) ?? 'null'}`).join(',')}}`;
}

const MALFORMED_JSON = ['{', '[', '{"a":', '[0,', "{'a':1}", '{"a":1,}', 'NaN', 'undefined', '"unterminated', '{"a":1}{"b":2}', '\u0000', '[1,2,3', '{"__proto__":', ']', '1e99999'];

function bodiesFor(fields: string[]): fc.Arbitrary<{ text?: string; contentType?: string }> {
  const key = fc.oneof(fc.constantFrom(...(fields.length ? fields : ['id'])), fc.constantFrom(...PROTO_KEYS, ...OPERATOR_KEYS), hostileString);
  return fc.oneof(
    // An object over real field names with hostile values: the deepest path into validation.
    { weight: 6, arbitrary: fc.array(fc.tuple(key, hostileValue), { maxLength: 6 }).map((pairs) => ({ text: objectText(pairs) })) },
    { weight: 2, arbitrary: fc.constantFrom(...MALFORMED_JSON).map((text) => ({ text })) },
    { weight: 1, arbitrary: fc.oneof(hostileScalar, fc.array(hostileValue, { maxLength: 3 })).map((v) => ({ text: JSON.stringify(v) ?? 'null' })) },
    { weight: 1, arbitrary: fc.constantFrom(...PROTO_KEYS).map((k) => ({ text: `{"${k}":{"role":"admin","polluted":true},"name":"x"}` })) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        { text: JSON.stringify({ name: 'x'.repeat(300_000) }) }, // past the 256 kB body limit
        { text: '['.repeat(100_000) + ']'.repeat(100_000) }, // nesting deep enough to blow a recursive parser
        { text: JSON.stringify({ name: 'y'.repeat(200_000) }) }, // under the limit, far past any column's sense
        { text: '{"name":"x"}', contentType: 'text/plain' },
        { text: '{"name":"x"}', contentType: 'application/json; charset=utf-16' },
        { text: '\xff\xfe{"a":1}', contentType: 'application/json' },
        { text: undefined },
      ),
    },
  );
}

const jsonParam = (inner: fc.Arbitrary<unknown>) =>
  fc.oneof({ weight: 4, arbitrary: inner.map((v) => JSON.stringify(v) ?? 'null') }, { weight: 1, arbitrary: fc.constantFrom(...MALFORMED_JSON) }, { weight: 1, arbitrary: hostileString });

function listQueryFor(fields: string[]) {
  const field = fc.oneof(fc.constantFrom(...(fields.length ? fields : ['id'])), fc.constantFrom(...OPERATOR_KEYS, ...PROTO_KEYS), hostileString);
  const fieldWithOp = fc.tuple(field, fc.constantFrom('', '_gte', '_lte', '_gt', '_lt', '_neq', '_like', '_in', '_eq')).map(([f, o]) => f + o);
  const sort = jsonParam(fc.oneof(fc.tuple(field, fc.oneof(fc.constantFrom('ASC', 'DESC', 'asc', 'ASC; DROP TABLE users', 'random()'), hostileString)), fc.array(hostileValue, { maxLength: 4 }), hostileValue));
  const range = jsonParam(
    fc.oneof(
      fc.tuple(hostileNumber, hostileNumber),
      fc.constantFrom([0, 1e9], [-5, 3], [10, 2], [0, 999], [0, 1000], [9007199254740990, 9007199254740991], [0], [0, 1, 2], ['0', '9'], [null, null]),
      hostileValue,
    ),
  );
  const filter = jsonParam(fc.oneof(fc.array(fc.tuple(fieldWithOp, hostileValue), { maxLength: 4 }).map((pairs) => JSON.parse(objectText(pairs))), hostileValue));
  return fc.record({ sort: fc.option(sort), range: fc.option(range), filter: fc.option(filter), twice: fc.boolean(), extra: fc.option(fc.tuple(hostileString, hostileString)) });
}

type ListQuery = fc.Arbitrary<{ sort: string | null; range: string | null; filter: string | null; twice: boolean; extra: [string, string] | null }> extends fc.Arbitrary<infer T> ? T : never;

/** The query string; `scope` (bulk writes) is ANDed into the filter, so only fixture rows can ever match. */
function queryText(q: ListQuery, scope?: unknown[]): string {
  const params = new URLSearchParams();
  let filter = q.filter;
  if (filter != null && scope) {
    const inner = filter.trim().startsWith('{') ? filter.trim().slice(1) : `"q":${JSON.stringify(filter)}}`;
    filter = `{"id":${JSON.stringify(scope)}${inner.trim() === '}' ? '}' : `,${inner}`}`;
  }
  if (q.sort != null) params.append('sort', q.sort);
  if (q.range != null) params.append('range', q.range);
  if (filter != null) params.append('filter', filter);
  if (q.twice && filter != null) params.append('filter', filter); // given twice: an array in req.query
  if (q.extra) params.append(q.extra[0], q.extra[1]);
  const text = params.toString();
  return text ? `?${text}` : '';
}

const hostileId = fc.oneof(
  fc.constantFrom('0', '-1', '1.5', '1e3', '0x1F', '99999999999999999999', '2147483648', '9007199254740993', '00000000001', ' 1', '1 ', 'null', 'undefined', 'NaN'),
  fc.constantFrom('00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', 'not-a-uuid', '{00000000-0000-0000-0000-000000000000}'),
  fc.constantFrom('%00', '%2e%2e', '%2F', '%E0%A4%A', '%ZZ', '%FF%FE', '..%2f..%2fetc', '%F0%9F%92%A9', 'a'.repeat(5000)),
  hostileString.map((s) => encodeURIComponent((s as string & { toWellFormed(): string }).toWellFormed())),
);

// ---- the corpus ------------------------------------------------------------------------------

interface HostileRequest {
  n: number;
  method: string;
  path: string;
  route: string;
  body?: string;
  contentType?: string;
  as: 'admin' | 'support' | 'anonymous' | 'bad-csrf';
}

type Target = ReturnType<typeof expandResources>[number];

/** Ids of rows a hostile request may touch for real (never the operators' own accounts). */
type IdPool = Map<string, string[]>;

function corpusFor(targets: Target[], server: HardenedServer, ids: IdPool, size: number, firstN: number): HostileRequest[] {
  const perTarget = Math.ceil(size / targets.length);
  const out: HostileRequest[] = [];
  targets.forEach((t, i) => {
    const model = t.resource ? server.models.get(t.resource) : undefined;
    const fields = model ? [...model.fields.keys()] : [];
    const valid = ids.get(t.resource ?? '') ?? [];
    const idArb = valid.length ? fc.oneof({ weight: 1, arbitrary: hostileId }, { weight: 1, arbitrary: fc.constantFrom(...valid) }) : hostileId;
    const hasBody = t.method === 'POST' || t.method === 'PUT';
    const bulk = (t.method === 'PUT' || t.method === 'DELETE') && !t.pattern.includes(':id');
    const arb = fc.record({
      id: idArb,
      query: fc.option(listQueryFor(fields), { freq: t.method === 'GET' || bulk ? 10 : 1 }),
      body: hasBody ? bodiesFor(fields) : fc.constant<{ text?: string; contentType?: string }>({}),
      as: fc.constantFrom<HostileRequest['as']>('admin', 'admin', 'admin', 'admin', 'admin', 'admin', 'support', 'anonymous', 'bad-csrf'),
      resource: fc.oneof({ weight: 9, arbitrary: fc.constant(t.resource ?? '') }, { weight: 1, arbitrary: hostileString.map((x) => encodeURIComponent((x as string & { toWellFormed(): string }).toWellFormed())) }),
    });
    for (const r of fc.sample(arb, { numRuns: perTarget, seed: SEED + firstN + i })) {
      let path = t.path.replace(/:id\b/g, r.id);
      if (t.resource && t.pattern.includes(':resource') && r.resource !== t.resource) path = path.replace(`/${t.resource}`, `/${r.resource}`);
      // Bulk writes only ever reach the fixture rows, so a filter that happens to be valid cannot
      // delete the operators running the corpus.
      if (r.query) path += queryText(r.query, bulk && t.resource ? (ids.get(t.resource) ?? []).map(Number) : undefined);
      out.push({ n: firstN + out.length, method: t.method, path, route: `${t.method} ${t.pattern}`, body: r.body.text, contentType: r.body.contentType, as: r.as });
    }
  });
  return out;
}

/** Fixture rows for every writable resource, made through the API like an operator would. */
async function seedFixtures(admin: RecordingSession, server: HardenedServer): Promise<IdPool> {
  const pool: IdPool = new Map();
  const add = (resource: string, id: unknown) => pool.set(resource, [...(pool.get(resource) ?? []), String(id)]);
  const create = async (resource: string, data: Record<string, unknown>) => {
    const res = await admin.json(`/api/${resource}`, { method: 'POST', body: JSON.stringify(data) });
    expect(res.status, `${resource}: ${JSON.stringify(res.body)}`).toBe(201);
    add(resource, res.body.id);
    return res.body;
  };
  const users = [];
  for (let i = 0; i < 4; i++) users.push(await create('users', { email: `fixture-${i}@example.com`, name: `Fixture ${i}` }));
  for (const u of users) await create('waitlist', { email: `wait-${u.id}@example.com`, source: 'fixture' });
  for (let i = 0; i < 3; i++) await create('posts', { title: `Post ${i}`, slug: `post-${i}`, content: 'x' });
  const org = await create('organizations', { name: 'Acme', slug: 'acme' });
  const team = await create('teams', { organization_id: org.id, name: 'Core' });
  await create('members', { organization_id: org.id, user_id: users[0].id, role: 'owner' }).catch(() => undefined);
  await create('team_members', { team_id: team.id, user_id: users[1].id }).catch(() => undefined);
  await create('brands', { user_id: users[2].id, name: 'Brand' });
  await create('badges', { id: 'fixture-badge', name: 'Fixture badge', description: 'x', icon: 'star', category: 'milestone', xp_reward: 5, sort_order: 99 }).catch(() => undefined);
  await create('ai_provider_keys', { provider: 'openai', label: 'fixture', key: 'sk-fixture-plaintext-0001' });
  await create('api_keys', { name: 'fixture', user_id: users[3].id });
  await create('invitations', { organization_id: org.id, email: 'invitee@example.com', role: 'member', inviter_id: users[0].id, expires_at: new Date(Date.now() + 86400000).toISOString() }).catch(() => undefined);
  // Ids of the read-only tables, so GET by id reaches a row.
  const { db } = server.ctx.database;
  for (const [name, model] of server.models) {
    if (pool.has(name)) continue;
    const rows = await queryRows<{ id: unknown }>(db, sql`select id from ${model.config.table} order by id limit 3`);
    for (const r of rows) add(name, r.id);
  }
  return pool;
}

async function send(server: HardenedServer, sessions: Record<HostileRequest['as'], RecordingSession>, req: HostileRequest) {
  const headers: Record<string, string> = { 'x-request-id': `hostile-${req.n}` };
  if (req.body !== undefined) headers['content-type'] = req.contentType ?? 'application/json';
  const started = Date.now();
  let res: Response;
  try {
    res = await sessions[req.as].fetch(req.path, { method: req.method, body: req.body, headers, signal: AbortSignal.timeout(15_000) });
  } catch (err) {
    // Past the body limit the server answers 413 at once and closes the connection; a client still
    // sending may see the reset instead of the 413. Refused either way: anything else is a failure.
    const code = (err as { cause?: { code?: string } }).cause?.code ?? '';
    if (Buffer.byteLength(req.body ?? '') > 256 * 1024 && /ECONNRESET|EPIPE|UND_ERR_SOCKET/.test(code)) return { status: 413, text: '', type: 'closed', ms: Date.now() - started };
    throw new Error(`${req.method} ${req.path.slice(0, 120)} (${Buffer.byteLength(req.body ?? '')} bytes): ${(err as Error).message} ${code}`);
  }
  const text = await res.text();
  return { status: res.status, text, type: res.headers.get('content-type') ?? '', ms: Date.now() - started };
}

interface Outcome {
  failures: string[];
  accepted: Set<string>;
  statuses: Map<number, number>;
  slowest: number;
}

async function runCorpus(s: HardenedServer, sessions: Record<HostileRequest['as'], RecordingSession>, corpus: HostileRequest[]): Promise<Outcome> {
  const out: Outcome = { failures: [], accepted: new Set(), statuses: new Map(), slowest: 0 };
  await pool(corpus, 8, async (req) => {
    const r = await send(s, sessions, req);
    out.statuses.set(r.status, (out.statuses.get(r.status) ?? 0) + 1);
    out.slowest = Math.max(out.slowest, r.ms);
    const where = `${req.method} ${req.path.slice(0, 160)} as ${req.as} body=${(req.body ?? '').slice(0, 120)}`;
    if (r.status >= 500) out.failures.push(`${r.status} ← ${where}: ${r.text.slice(0, 200)}`);
    const leak = leaksIn(r.text);
    if (leak) out.failures.push(`${leak} in body ← ${where}: ${r.text.slice(0, 300)}`);
    // Node's own HTTP parser answers an over-long URL with an empty 431 before Express runs.
    if (r.status >= 400 && r.text && req.path.startsWith('/api') && !r.type.includes('application/json')) out.failures.push(`non-JSON ${r.status} (${r.type}) ← ${where}`);
    if (r.status < 300 && req.method !== 'GET') out.accepted.add(`hostile-${req.n}`);
  });
  return out;
}

const count5xx = (o: Outcome) => [...o.statuses].filter(([k]) => k >= 500).reduce((a, [, v]) => a + v, 0);
const statusLine = (o: Outcome) => [...o.statuses].sort(([a], [b]) => a - b).map(([k, v]) => `${k}:${v}`).join(' ');

async function auditSince(s: HardenedServer, afterId: number) {
  return queryRows<{ id: number; action: string; resource: string; record_id: string; request_id: string; after: Record<string, unknown> | null }>(
    s.ctx.database.db,
    sql`select id, action, resource, record_id, request_id, after from audit_log where id > ${afterId} order by id`,
  );
}
async function lastAuditId(s: HardenedServer) {
  const [row] = await queryRows<{ max: number }>(s.ctx.database.db, sql`select coalesce(max(id), 0)::int as max from audit_log`);
  return row?.max ?? 0;
}

describeHardened('hostile input', (server) => {
  let sessions: Record<HostileRequest['as'], RecordingSession>;
  let ids: IdPool;
  let targets: Target[];
  let total = 0;
  let total5xx = 0;

  it('sets up operators and fixture rows through the API', async () => {
    const s = server();
    const adminCreds = await createOperator(s, 'admin');
    const supportCreds = await createOperator(s, 'support');
    const admin = new RecordingSession(s.url, s.traffic);
    const support = new RecordingSession(s.url, s.traffic);
    const badCsrf = new RecordingSession(s.url, s.traffic);
    expect((await admin.login(adminCreds.email, adminCreds.password)).status).toBe(200);
    expect((await support.login(supportCreds.email, supportCreds.password)).status).toBe(200);
    expect((await badCsrf.login(adminCreds.email, adminCreds.password)).status).toBe(200);
    badCsrf.csrf = 'x'.repeat(43);
    sessions = { admin, support, anonymous: new RecordingSession(s.url, s.traffic), 'bad-csrf': badCsrf };
    ids = await seedFixtures(admin, s);
    targets = expandResources(listRoutes(s.app), s.models).filter((r) => r.path !== '/api/auth/logout'); // logout would end the corpus' own sessions
    expect(targets.length).toBeGreaterThan(100);
  });

  it('generic resource routes: no 5xx, no leak, and every table equals its snapshot plus the audited accepted writes', async () => {
    const s = server();
    const generic = targets.filter((t) => t.pattern.includes(':resource') || !t.pattern.startsWith('/api/') || t.pattern.startsWith('/api/auth'));
    const corpus = corpusFor(generic, s, ids, Math.round(CORPUS * 0.85), 0);
    const auditBefore = await lastAuditId(s);
    const snapshotBefore = await snapshotResources(s);
    const tablesBefore = await fingerprintTables(s, OWN_STATE_TABLES);

    const o = await runCorpus(s, sessions, corpus);
    total += corpus.length;
    total5xx += count5xx(o);
    reportFigures('hostile input, resource routes', { seed: SEED, requests: corpus.length, routes: generic.length, '5xx': count5xx(o), problems: o.failures.length, acceptedWrites: o.accepted.size, slowestMs: o.slowest, statuses: statusLine(o) });
    expect(o.failures.slice(0, 25)).toEqual([]);

    // Every audit row since the corpus began belongs to an accepted request, and replaying those
    // rows over the snapshot taken before gives exactly what the tables hold now.
    const audits = await auditSince(s, auditBefore);
    expect(audits.filter((a) => !o.accepted.has(a.request_id)).map((a) => `${a.action} ${a.resource}/${a.record_id} by ${a.request_id}`)).toEqual([]);
    const expected = snapshotBefore;
    const cascade = await foreignKeys(s);
    for (const a of audits) {
      const rows = expected.get(a.resource)!;
      if (a.action === 'delete') deleteWithCascade(s, expected, cascade, a.resource, String(a.record_id));
      else rows.set(String(a.record_id), normalise(a.after!));
    }
    const now = await snapshotResources(s);
    // The audit trail is a resource too: it grew by exactly the audit rows checked above.
    for (const a of audits) expected.get('audit_log')!.set(String(a.id), now.get('audit_log')!.get(String(a.id))!);
    let rowsChecked = 0;
    for (const [name, rows] of now) {
      const want = expected.get(name)!;
      expect([...rows.keys()].sort(), `${name} ids`).toEqual([...want.keys()].sort());
      for (const [id, row] of rows) {
        rowsChecked++;
        const w = want.get(id)!;
        for (const [k, v] of Object.entries(row)) if (w[k] !== '[redacted]') expect(v, `${name}/${id}.${k}`).toEqual(w[k]);
      }
    }
    const tablesAfter = await fingerprintTables(s, OWN_STATE_TABLES);
    const resourceTables = new Set([...s.models.values()].map((m) => m.tableName));
    expect(changedTables(tablesBefore, tablesAfter).filter((t) => !resourceTables.has(t))).toEqual([]);
    reportFigures('hostile input, resource routes data check', { auditRows: audits.length, rowsChecked });
  }, CORPUS_TIMEOUT);

  it('every other route (actions, stats): no 5xx, no leak, and a rejected request leaves no trace', async () => {
    const s = server();
    const others = targets.filter((t) => !t.pattern.includes(':resource') && t.pattern.startsWith('/api/') && !t.pattern.startsWith('/api/auth'));
    const corpus = corpusFor(others, s, ids, CORPUS - Math.round(CORPUS * 0.85), 100_000);
    const auditBefore = await lastAuditId(s);
    const tablesBefore = await fingerprintTables(s, OWN_STATE_TABLES);

    const o = await runCorpus(s, sessions, corpus);
    total += corpus.length;
    total5xx += count5xx(o);
    reportFigures('hostile input, action routes', { requests: corpus.length, routes: others.length, '5xx': count5xx(o), problems: o.failures.length, acceptedWrites: o.accepted.size, slowestMs: o.slowest, statuses: statusLine(o) });
    expect(o.failures.slice(0, 25)).toEqual([]);

    const audits = await auditSince(s, auditBefore);
    expect(audits.filter((a) => !o.accepted.has(a.request_id)).map((a) => `${a.action} ${a.resource}/${a.record_id} by ${a.request_id}`)).toEqual([]);
    // With no request accepted, not one row anywhere may differ.
    if (o.accepted.size === 0) expect(changedTables(tablesBefore, await fingerprintTables(s, OWN_STATE_TABLES))).toEqual([]);
  }, CORPUS_TIMEOUT);

  it('in all, at least 10,000 hostile requests and not one 5xx; no secret in any body or log line', async () => {
    const s = server();
    reportFigures('hostile input, total', { requests: total, '5xx': total5xx, logLines: s.logs.lines.length });
    expect(total).toBeGreaterThanOrEqual(10_000);
    expect(total5xx).toBe(0);
    await expectNoSecrets(s, await knownSecrets(s, ['sk-fixture-plaintext-0001']));
  });
});

type Snapshot = Map<string, Map<string, Record<string, unknown>>>;
interface ForeignKey {
  child: string;
  col: string;
  parent: string;
  pcol: string;
  /** c: cascade, n: set null, others: the delete is refused while children exist. */
  onDelete: string;
}

/** The schema's foreign keys, so a replayed delete removes or nulls what Postgres did. */
async function foreignKeys(s: HardenedServer): Promise<ForeignKey[]> {
  return queryRows<ForeignKey>(
    s.ctx.database.db,
    sql`select cl.relname as child, a.attname as col, pcl.relname as parent, pa.attname as pcol, c.confdeltype as "onDelete"
        from pg_constraint c
        join pg_class cl on cl.oid = c.conrelid join pg_class pcl on pcl.oid = c.confrelid
        join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
        join pg_attribute pa on pa.attrelid = c.confrelid and pa.attnum = c.confkey[1]
        where c.contype = 'f'`,
  );
}

function deleteWithCascade(s: HardenedServer, snapshot: Snapshot, fks: ForeignKey[], resource: string, id: string) {
  const rows = snapshot.get(resource)!;
  const row = rows.get(id);
  rows.delete(id);
  if (!row) return;
  const table = s.models.get(resource)!.tableName;
  for (const fk of fks.filter((f) => f.parent === table)) {
    for (const [childResource, model] of s.models) {
      if (model.tableName !== fk.child) continue;
      for (const [childId, child] of [...snapshot.get(childResource)!]) {
        if (child[fk.col] === undefined || child[fk.col] !== row[fk.pcol]) continue;
        if (fk.onDelete === 'c') deleteWithCascade(s, snapshot, fks, childResource, childId);
        else if (fk.onDelete === 'n') child[fk.col] = null;
      }
    }
  }
}

// An operator's own sign-in state moves on any request (sessions, throttling) and a signed-in
// operator may start a second-factor enrolment (a pending secret, a challenge): not data writes.
const OWN_STATE_TABLES = ['operator_sessions', 'login_attempts', 'operator_totp', 'operator_recovery_codes', 'auth_challenges'];

/** Every exposed resource's rows, API-shaped and JSON-normalised, by id. */
async function snapshotResources(s: HardenedServer): Promise<Snapshot> {
  const out: Snapshot = new Map();
  for (const [name, model] of s.models) {
    const rows = (await s.ctx.database.db.select(model.selection).from(model.config.table)) as Record<string, unknown>[];
    out.set(name, new Map(rows.map((r) => [String(r.id), normalise(r)])));
  }
  return out;
}

const normalise = (row: Record<string, unknown>) => JSON.parse(JSON.stringify(row)) as Record<string, unknown>;
