import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { expect, it, vi } from 'vitest';
import { queryRows } from '../../src/db/client';
import type { Field, ResourceModel } from '../../src/resources/model';
import { createOperator } from '../support/operators';
import { describeHardened, fingerprintTables, listRoutes, RecordingSession, reportFigures, type HardenedServer } from './support';

/**
 * "A valid record with one hostile value": what react-admin sends when an operator pastes
 * something odd into one input of an edit form. Generated, not hand-picked: every resource's
 * writable fields (from its model) and every action's body fields, each replaced in turn by every
 * hostile class, on create, edit (the whole record sent back, as the console does) and bulk edit.
 */

/** Raw JSON text per class, so a `__proto__` key and a lone surrogate reach the server as written. */
const HOSTILE: { name: string; text: (valid: unknown) => string | undefined }[] = [
  { name: 'NUL', text: () => JSON.stringify('a\u0000b') },
  { name: 'lone surrogate', text: () => JSON.stringify('a\uD800b') },
  { name: '70k characters', text: () => JSON.stringify('x'.repeat(70_000)) },
  { name: '+1e308', text: () => '1e308' },
  { name: '-1e308', text: () => '-1e308' },
  { name: 'wrong JSON type', text: (valid) => JSON.stringify(wrongType(valid)) },
  { name: 'nested 20k deep', text: () => '['.repeat(20_000) + ']'.repeat(20_000) },
  { name: '__proto__ object', text: () => '{"__proto__":{"admin":true}}' },
  { name: 'constructor object', text: () => '{"constructor":{"prototype":{"admin":true}}}' },
];
/** Keys that must never be taken as a field, added beside an otherwise valid body. */
const HOSTILE_KEYS = ['__proto__', 'constructor'];

function wrongType(valid: unknown): unknown {
  if (typeof valid === 'string') return 12345;
  if (typeof valid === 'number') return 'twelve';
  if (typeof valid === 'boolean') return 'yes';
  if (valid === null) return [1, 2];
  return 'not an object';
}

// The demo dataset (orders and commissions for the actions) takes minutes to seed on a busy machine.
vi.setConfig({ hookTimeout: 900_000 });

const objectText = (pairs: [string, string][]) => `{${pairs.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`;

/** Every variant of one body: each field replaced by each class, plus each hostile key added. */
function variants(body: Record<string, unknown>, extraField = 'note'): { label: string; text: string }[] {
  const entries = Object.entries(body).map(([k, v]) => [k, JSON.stringify(v)] as [string, string]);
  const fields = entries.length ? Object.keys(body) : [extraField];
  const out: { label: string; text: string }[] = [];
  for (const field of fields) {
    for (const c of HOSTILE) {
      const text = c.text(body[field]);
      if (text === undefined) continue;
      const pairs = entries.some(([k]) => k === field) ? entries.map(([k, v]) => [k, k === field ? text : v] as [string, string]) : [...entries, [field, text] as [string, string]];
      out.push({ label: `${field} = ${c.name}`, text: objectText(pairs) });
    }
  }
  for (const key of HOSTILE_KEYS) out.push({ label: `key ${key}`, text: objectText([...entries, [key, '{"role":"admin"}']]) });
  return out;
}

interface Fixtures {
  userId: number;
  organizationId: number;
  teamId: number;
}

let unique = 0;
/** A valid value for a field, from its kind; formats the resource's refinements demand are read off the field's name. */
function validValue(model: ResourceModel, field: Field, fx: Fixtures): unknown {
  const n = `${Date.now().toString(36)}${++unique}`;
  const name = field.name;
  if (name.endsWith('email')) return `hf-${n}@example.com`;
  if (name === 'slug' || (model.name === 'badges' && name === 'id')) return `hf-${n}`;
  if (name.endsWith('_url')) return 'https://example.com/a.png';
  if (name === 'organization_id') return fx.organizationId;
  if (name === 'team_id') return fx.teamId;
  if (/(^|_)(user|author|inviter)_id$|^invited_by$/.test(name)) return fx.userId;
  switch (field.kind) {
    case 'enum':
      return field.enumValues![0];
    case 'bool':
      return false;
    case 'int':
      return 1;
    case 'number':
      return 1.5;
    case 'date':
      return new Date(Date.now() + 86_400_000).toISOString();
    case 'json':
      return { model: 'valid' };
    case 'uuid':
      return randomUUID();
    default:
      // Unique per call: some text columns are unique (a provider), and a clash would hide the value's own fate.
      return `valid text ${n}`;
  }
}

function validCreateBody(model: ResourceModel, fx: Fixtures): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const name of model.creatable) body[name] = validValue(model, model.fields.get(name)!, fx);
  // Write-only inputs that are not columns (a provider key's plaintext).
  for (const key of Object.keys(model.config.onCreate?.input.shape ?? {})) body[key] = 'sk-valid-0000000001';
  return body;
}

const md5 = async (s: HardenedServer, table: string) => (await queryRows<{ h: string }>(s.ctx.database.db, sql.raw(`select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as h from "${table}" t`)))[0]!.h;
const auditMax = async (s: HardenedServer) => (await queryRows<{ n: number }>(s.ctx.database.db, sql`select coalesce(max(id), 0)::int as n from audit_log`))[0]!.n;

interface Tally {
  requests: number;
  byStatus: Map<number, number>;
  failures: string[];
}
const tally = (): Tally => ({ requests: 0, byStatus: new Map(), failures: [] });
const statusLine = (t: Tally) => [...t.byStatus].sort(([a], [b]) => a - b).map(([k, v]) => `${k}:${v}`).join(' ');

/**
 * Sends one hostile variant and checks the rule: never a 5xx, and on a 4xx nothing written (the
 * target table's content and the audit log are as they were). `tables` is what a write could touch.
 */
async function probe(s: HardenedServer, admin: RecordingSession, t: Tally, method: string, path: string, label: string, text: string, check: () => Promise<unknown>) {
  const before = await check();
  const res = await admin.fetch(path, { method, body: text, headers: { 'content-type': 'application/json' } });
  const body = await res.text();
  t.requests++;
  t.byStatus.set(res.status, (t.byStatus.get(res.status) ?? 0) + 1);
  const where = `${method} ${path} [${label}]`;
  if (res.status >= 500) t.failures.push(`${res.status} ← ${where}: ${body.slice(0, 200)}`);
  if (res.status >= 400 && res.status < 500) {
    const after = await check();
    if (JSON.stringify(after) !== JSON.stringify(before)) t.failures.push(`${res.status} but something was written ← ${where}`);
    if (res.status === 400 && !/"errors"|"message"/.test(body)) t.failures.push(`400 without a message ← ${where}`);
  }
  return res.status;
}

describeHardened(
  'hostile values inside valid records',
  (server) => {
    let admin: RecordingSession;
    let fx: Fixtures;

    it('sets up an admin and the records the bodies refer to', async () => {
      const s = server();
      const creds = await createOperator(s, 'admin');
      admin = new RecordingSession(s.url, s.traffic);
      expect((await admin.login(creds.email, creds.password)).status).toBe(200);
      const user = await admin.json('/api/users', { method: 'POST', body: JSON.stringify({ email: `hf-user-${randomUUID()}@example.com`, name: 'Fixture' }) });
      const org = await admin.json('/api/organizations', { method: 'POST', body: JSON.stringify({ name: 'Hostile org', slug: `hf-org-${unique++}` }) });
      const team = await admin.json('/api/teams', { method: 'POST', body: JSON.stringify({ organization_id: org.body.id, name: 'Core' }) });
      fx = { userId: user.body.id, organizationId: org.body.id, teamId: team.body.id };
    });

    it('every resource: create, edit and bulk edit with one hostile field: no 5xx, nothing written on a 4xx', async () => {
      const s = server();
      const t = tally();
      const covered: string[] = [];
      for (const [name, model] of s.models) {
        if (!model.creatable.size && !model.updatable.size) continue;
        covered.push(name);
        const table = model.tableName;
        const tableAndAudit = async () => [await md5(s, table), await auditMax(s)];

        // The generated body must itself be valid, or every variant would be refused for the wrong reason.
        const valid = validCreateBody(model, fx);
        const created = model.creatable.size ? await admin.json(`/api/${name}`, { method: 'POST', body: JSON.stringify(valid) }) : undefined;
        if (created) expect(created.status, `${name}: the generated valid body ${JSON.stringify(created.body)}`).toBe(201);
        if (model.creatable.size) {
          for (const v of variants(validCreateBody(model, fx))) await probe(s, admin, t, 'POST', `/api/${name}`, v.label, v.text, tableAndAudit);
        }
        if (!model.updatable.size) continue;
        const id = created?.body.id ?? (await queryRows<{ id: number }>(s.ctx.database.db, sql.raw(`select id from "${table}" order by id limit 1`)))[0]?.id;
        expect(id, `${name}: a row to edit`).toBeDefined();
        // The whole record, as react-admin's edit form sends it back; re-read after every accepted write.
        let record = (await admin.json(`/api/${name}/${id}`)).body as Record<string, unknown>;
        for (const v of variants(record)) {
          const status = await probe(s, admin, t, 'PUT', `/api/${name}/${id}`, v.label, v.text, tableAndAudit);
          if (status < 300) record = (await admin.json(`/api/${name}/${id}`)).body;
        }
        const filter = encodeURIComponent(JSON.stringify({ id: [id] }));
        const writable = Object.fromEntries([...model.updatable].map((f) => [f, record[f]]));
        for (const v of variants(writable)) await probe(s, admin, t, 'PUT', `/api/${name}?filter=${filter}`, `bulk ${v.label}`, v.text, tableAndAudit);
      }
      reportFigures('hostile fields, resources', { resources: covered.length, requests: t.requests, '5xx': [...t.byStatus].filter(([k]) => k >= 500).length, statuses: statusLine(t) });
      expect(t.failures.slice(0, 30)).toEqual([]);
      expect(covered.length).toBeGreaterThanOrEqual(10);
    }, 1_200_000);

    it('every domain action: its valid body with one hostile field: no 5xx, no table changed on a 4xx', async () => {
      const s = server();
      const { db } = s.ctx.database;
      const one = async (q: ReturnType<typeof sql>) => (await queryRows<{ id: number }>(db, q))[0]?.id;
      const member = (await admin.json('/api/users', { method: 'POST', body: JSON.stringify({ email: `hf-member-${randomUUID()}@example.com`, name: 'Member' }) })).body.id as number;
      const key = (await admin.json('/api/ai_provider_keys', { method: 'POST', body: JSON.stringify({ provider: `hf-provider-${randomUUID()}`, label: 'hf', key: 'sk-hostile-0000001' }) })).body.id as number;
      const apiKey = (await admin.json('/api/api_keys', { method: 'POST', body: JSON.stringify({ name: 'hf', user_id: member }) })).body.id as number;
      const order = await one(sql`select id from orders where status = 'paid' order by id limit 1`);
      const pending = await one(sql`select id from affiliates where status = 'pending' order by id limit 1`);
      const approved = await one(sql`select id from affiliates where status = 'approved' order by id limit 1`);
      const stuck = await one(sql`select id from generations where status in ('pending', 'processing') order by id limit 1`);
      const stuckToo = await one(sql`select id from generations where status in ('pending', 'processing') order by id offset 1 limit 1`);
      expect([order, pending, approved, stuck, stuckToo].every((x) => x !== undefined), 'the demo data has a paid order, commissions to move and stuck generations').toBe(true);

      // A valid body and a target for every action route; the route list comes from the router.
      const today = new Date().toISOString().slice(0, 10);
      const ACTIONS: Record<string, { path: string; body: Record<string, unknown> }> = {
        'POST /api/users/:id/credits': { path: `/api/users/${member}/credits`, body: { amount: 10, reason: 'valid reason' } },
        'POST /api/users/:id/ban': { path: `/api/users/${member}/ban`, body: { reason: 'valid reason', expires_at: '2099-01-01T00:00:00Z' } },
        'POST /api/users/:id/unban': { path: `/api/users/${member}/unban`, body: {} },
        'POST /api/users/:id/role': { path: `/api/users/${member}/role`, body: { role: 'support' } },
        // Approvals are off on this server, so no request is pending: the probes check parsing and refusals.
        'POST /api/approval_requests/:id/approve': { path: '/api/approval_requests/1/approve', body: { note: 'valid note' } },
        'POST /api/approval_requests/:id/reject': { path: '/api/approval_requests/1/reject', body: { note: 'valid note' } },
        'POST /api/users/:id/badges': { path: `/api/users/${member}/badges`, body: { badge_id: 'hydra' } },
        'POST /api/orders/:id/refund': { path: `/api/orders/${order}/refund`, body: { reason: 'valid reason', allow_partial: true } },
        'POST /api/affiliates/approve': { path: '/api/affiliates/approve', body: { ids: [pending] } },
        'POST /api/affiliates/pay': { path: '/api/affiliates/pay', body: { ids: [approved] } },
        'POST /api/affiliates/:id/approve': { path: `/api/affiliates/${pending}/approve`, body: {} },
        'POST /api/affiliates/:id/pay': { path: `/api/affiliates/${approved}/pay`, body: {} },
        'POST /api/ai_provider_keys/reencrypt': { path: '/api/ai_provider_keys/reencrypt', body: {} },
        'POST /api/ai_provider_keys/:id/rotate': { path: `/api/ai_provider_keys/${key}/rotate`, body: { key: 'sk-rotated-000000001' } },
        'POST /api/ai_provider_keys/:id/enable': { path: `/api/ai_provider_keys/${key}/enable`, body: {} },
        'POST /api/ai_provider_keys/:id/disable': { path: `/api/ai_provider_keys/${key}/disable`, body: {} },
        'POST /api/api_keys/:id/revoke': { path: `/api/api_keys/${apiKey}/revoke`, body: {} },
        'POST /api/stats/refresh': { path: '/api/stats/refresh', body: { from: today, to: today } },
        'POST /api/users/:id/notes': { path: `/api/users/${member}/notes`, body: { body: 'valid note' } },
        'POST /api/users/:id/feats': { path: `/api/users/${member}/feats`, body: {} },
        'POST /api/generations/fail': { path: '/api/generations/fail', body: { ids: [stuckToo], reason: 'valid reason' } },
        'POST /api/generations/:id/fail': { path: `/api/generations/${stuck}/fail`, body: { reason: 'valid reason' } },
        'POST /api/public/waitlist': { path: '/api/public/waitlist', body: { email: `hf-wait-${randomUUID()}@example.com`, source: 'hostile-fields' } },
        'POST /api/audit_log/:id/revert': { path: `/api/audit_log/${(await one(sql`select id from audit_log where action = 'update' order by id limit 1`)) ?? 1}/revert`, body: {} },
      };
      const routes = listRoutes(s.app)
        .filter((r) => r.method === 'POST' && r.path.startsWith('/api/') && !r.path.includes(':resource') && !r.path.startsWith('/api/auth/'))
        .map((r) => `${r.method} ${r.path}`);
      expect(routes.filter((r) => !ACTIONS[r]), 'every action route has a valid body here').toEqual([]);

      const t = tally();
      const everything = () => fingerprintTables(s, ['operator_sessions', 'login_attempts']);
      for (const route of routes) {
        const { path, body } = ACTIONS[route]!;
        for (const v of variants(body)) {
          await probe(s, admin, t, 'POST', path, v.label, v.text, async () => [...(await everything())]);
        }
      }
      reportFigures('hostile fields, actions', { actions: routes.length, requests: t.requests, statuses: statusLine(t) });
      expect(t.failures.slice(0, 30)).toEqual([]);
    }, 1_200_000);
  },
  { demo: true },
);
