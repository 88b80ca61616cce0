import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { lockHolder } from '../support/lockHolder';
import { signIn } from '../support/operators';
import { describeEachEngine } from '../support/testServer';
import { act, auditOf, rows } from './actions-helpers';

const approvals = { creditsAbove: 1000, refundsAboveMinor: 5000, payoutsAboveMinor: 0, roleChanges: true, keyRotation: true, expiresMs: 60 * 60 * 1000 };

describeEachEngine(
  'four-eyes approvals',
  (server, engine) => {
    const balanceOf = async (userId: number) => (await rows<{ left_credits: number }>(server(), sql`select coalesce((select left_credits from credits where user_id = ${userId}), 0) as left_credits`))[0]!.left_credits;
    const ledgerCount = async (userId: number) => (await rows<{ n: number }>(server(), sql`select count(*)::int as n from credit_transactions where user_id = ${userId}`))[0]!.n;
    const member = async () => (await rows<{ id: number }>(server(), sql`select u.id from users u join credits c on c.user_id = u.id where u.role = 'member' order by random() limit 1`))[0]!.id;
    const storedInput = async (id: number) => (await rows<{ input: { args: Record<string, unknown> } }>(server(), sql`select input from approval_requests where id = ${id}`))[0]!.input;
    const twoAdmins = async () => [await signIn(server(), 'admin'), await signIn(server(), 'admin')] as const;

    it('a grant above the threshold is held (202) and moves nothing; one at the threshold runs at once', async () => {
      const [{ session }] = await twoAdmins();
      const userId = await member();
      const before = await balanceOf(userId);
      const held = await act(session, `/api/users/${userId}/credits`, { amount: 1001, reason: 'Big goodwill' });
      expect(held.status).toBe(202);
      expect(held.body.message).toMatch(/another admin must approve/);
      expect(held.body.approval_request).toMatchObject({ action: 'grant_credits', status: 'pending', resource: 'users', record_id: String(userId) });
      expect(held.body.approval_request.summary).toContain('Grant 1,001 credits');
      expect(held.body.approval_request).not.toHaveProperty('input');
      expect(await balanceOf(userId)).toBe(before);
      const small = await act(session, `/api/users/${userId}/credits`, { amount: 1000, reason: 'Small goodwill' });
      expect(small.status).toBe(200);
      expect(await balanceOf(userId)).toBe(before + 1000);
    });

    it('another admin approves: the grant runs once, and its audit row names both operators', async () => {
      const [requester, approver] = await twoAdmins();
      const userId = await member();
      const before = await balanceOf(userId);
      const held = await act(requester.session, `/api/users/${userId}/credits`, { amount: 1500, reason: 'Outage compensation' });
      const id = held.body.approval_request.id;
      const done = await act(approver.session, `/api/approval_requests/${id}/approve`, { note: 'Checked with finance' });
      expect(done.status).toBe(200);
      expect(done.body).toMatchObject({ id, status: 'approved', decided_by: approver.creds.id, decided_by_email: approver.creds.email, decision_note: 'Checked with finance', requested_by: requester.creds.id });
      expect(done.body.result).toMatchObject({ id: userId, left_credits: before + 1500 });
      expect(await balanceOf(userId)).toBe(before + 1500);
      const [entry] = await auditOf(approver.session, 'users', userId);
      expect(entry).toMatchObject({ action: 'adjust_credits', actor_id: requester.creds.id, actor_email: requester.creds.email, approved_by_id: approver.creds.id, approved_by_email: approver.creds.email });
      const [decision] = await auditOf(approver.session, 'approval_requests', id);
      expect(decision).toMatchObject({ action: 'approve', actor_id: approver.creds.id });
      // Decided once: a second approval or a rejection is refused and runs nothing.
      const again = await act(approver.session, `/api/approval_requests/${id}/approve`);
      expect(again.status).toBe(409);
      expect(again.body.message).toMatch(/already approved by/);
      expect((await act(approver.session, `/api/approval_requests/${id}/reject`)).status).toBe(409);
      expect(await balanceOf(userId)).toBe(before + 1500);
    });

    it('the requester cannot approve their own request (409), but may withdraw it', async () => {
      const [requester] = await twoAdmins();
      const userId = await member();
      const before = await balanceOf(userId);
      const id = (await act(requester.session, `/api/users/${userId}/credits`, { amount: 5000, reason: 'Self-serve' })).body.approval_request.id;
      const own = await act(requester.session, `/api/approval_requests/${id}/approve`);
      expect(own.status).toBe(409);
      expect(own.body.message).toMatch(/another admin must approve/);
      expect((await requester.session.json(`/api/approval_requests/${id}`)).body.status).toBe('pending');
      const withdrawn = await act(requester.session, `/api/approval_requests/${id}/reject`, { note: 'Asked by mistake' });
      expect(withdrawn.status).toBe(200);
      expect(withdrawn.body).toMatchObject({ status: 'rejected', decided_by: requester.creds.id });
      expect(await balanceOf(userId)).toBe(before);
    });

    it('an expired request cannot be approved (409) and shows as expired', async () => {
      const [requester, approver] = await twoAdmins();
      const userId = await member();
      const before = await balanceOf(userId);
      const id = (await act(requester.session, `/api/users/${userId}/credits`, { amount: 2000, reason: 'Late' })).body.approval_request.id;
      await rows(server(), sql`update approval_requests set expires_at = now() - interval '1 minute' where id = ${id}`);
      const open = await approver.session.json(`/api/approval_requests?filter=${encodeURIComponent(JSON.stringify({ segment: 'open' }))}`);
      expect(open.body.map((r: { id: number }) => r.id)).not.toContain(id);
      const res = await act(approver.session, `/api/approval_requests/${id}/approve`);
      expect(res.status).toBe(409);
      expect(res.body.message).toMatch(/expired/);
      expect((await approver.session.json(`/api/approval_requests/${id}`)).body.status).toBe('expired');
      expect(await balanceOf(userId)).toBe(before);
    });

    it('a request whose target changed since is refused on approve (409) and marked failed', async () => {
      const [requester, approver] = await twoAdmins();
      const userId = await member();
      const held = await act(requester.session, `/api/users/${userId}/role`, { role: 'support' });
      expect(held.status).toBe(202);
      const id = held.body.approval_request.id;
      // Someone edits the user in between.
      expect((await approver.session.json(`/api/users/${userId}`, { method: 'PUT', body: JSON.stringify({ nickname: 'renamed meanwhile' }) })).status).toBe(200);
      const res = await act(approver.session, `/api/approval_requests/${id}/approve`);
      expect(res.status).toBe(409);
      expect(res.body.message).toMatch(/changed .*since it was made/);
      const shown = (await approver.session.json(`/api/approval_requests/${id}`)).body;
      expect(shown).toMatchObject({ status: 'failed', decided_by: approver.creds.id });
      expect((await rows(server(), sql`select role from users where id = ${userId}`))[0]!.role).toBe('member');
    });

    it('a requester who lost the right to the action meanwhile: approving refuses (409) and runs nothing', async () => {
      const [requester, approver] = await twoAdmins();
      const userId = await member();
      const before = await balanceOf(userId);
      const id = (await act(requester.session, `/api/users/${userId}/credits`, { amount: 2500, reason: 'Before demotion' })).body.approval_request.id;
      await rows(server(), sql`update users set role = 'support' where id = ${requester.creds.id}`);
      const res = await act(approver.session, `/api/approval_requests/${id}/approve`);
      expect(res.status).toBe(409);
      expect(res.body.message).toMatch(/may no longer do this/);
      expect((await approver.session.json(`/api/approval_requests/${id}`)).body.status).toBe('failed');
      expect(await balanceOf(userId)).toBe(before);
    });

    // PGlite serves one connection, so two calls never overlap inside the database: races need Postgres.
    const onPostgres = engine === 'postgres' ? '' : ' (skipped: PGlite has one connection, so no two calls overlap in the database; set TEST_DATABASE_URL)';
    it.skipIf(engine !== 'postgres')(`two admins approving at once: exactly one runs, the other gets 409${onPostgres}`, async () => {
      const [requester, a] = await twoAdmins();
      const [b] = await twoAdmins();
      const userId = await member();
      const before = await balanceOf(userId);
      const entries = await ledgerCount(userId);
      const id = (await act(requester.session, `/api/users/${userId}/credits`, { amount: 3000, reason: 'Race' })).body.approval_request.id;
      const lastAudit = (await rows<{ n: number }>(server(), sql`select coalesce(max(id), 0)::int as n from audit_log`))[0]!.n;

      // Another connection holds the target user's row, which approving locks after the request's
      // row: the first approval stops there with the request locked, and the second starts while it
      // waits. Both are then inside their transactions at once, whatever the machine's speed.
      const locks = await lockHolder(server().databaseUrl!);
      try {
        await locks.hold('select id from users where id = $1 for update', [userId]);
        const first = act(a.session, `/api/approval_requests/${id}/approve`);
        await locks.waitFor(1, 'the first approval to wait inside its transaction');
        const second = act(b.session, `/api/approval_requests/${id}/approve`);
        await locks.waitFor(2, 'the second approval to wait too');
        await locks.release();
        const [won, lost] = await Promise.all([first, second]);

        expect(won.status, JSON.stringify(won.body)).toBe(200);
        expect(lost.status, JSON.stringify(lost.body)).toBe(409);
        expect(lost.body.message).toContain(`already approved by ${a.creds.email}`);
        expect(await balanceOf(userId)).toBe(before + 3000);
        expect(await ledgerCount(userId)).toBe(entries + 1);
        const grants = await rows(server(), sql`select actor_id, approved_by_id from audit_log where id > ${lastAudit} and resource = 'users' and action = 'adjust_credits'`);
        expect(grants).toEqual([{ actor_id: requester.creds.id, approved_by_id: a.creds.id }]);
        const decisions = await rows<{ action: string; actor_id: number }>(server(), sql`select action, actor_id from audit_log where resource = 'approval_requests' and record_id = ${String(id)} and action <> 'request_approval'`);
        expect(decisions).toEqual([{ action: 'approve', actor_id: a.creds.id }]);
        expect((await a.session.json(`/api/approval_requests/${id}`)).body).toMatchObject({ status: 'approved', decided_by: a.creds.id });
      } finally {
        await locks.end();
      }
    });

    it('a held grant retried with its Idempotency-Key answers with the first request, replayed; the key with another body is a 409', async () => {
      const [requester, approver] = await twoAdmins();
      const userId = await member();
      const before = await balanceOf(userId);
      const requests = async () => (await rows<{ n: number }>(server(), sql`select count(*)::int as n from approval_requests`))[0]!.n;
      const key = randomUUID();
      const grant = (body: unknown, session = requester.session) => act(session, `/api/users/${userId}/credits`, body, { 'idempotency-key': key });

      const first = await grant({ amount: 2200, reason: 'Retried while held' });
      expect(first.status).toBe(202);
      expect(first.headers.get('idempotent-replayed')).toBeNull();
      const count = await requests();
      const again = await grant({ reason: 'Retried while held', amount: 2200 });
      expect(again.status).toBe(202);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(again.body).toEqual(first.body);
      expect(await requests()).toBe(count);

      // Another body under the same key is a client bug: refused, nothing stored, even below the threshold.
      for (const body of [{ amount: 2300, reason: 'Retried while held' }, { amount: 10, reason: 'Retried while held' }]) {
        const misuse = await grant(body);
        expect(misuse.status, JSON.stringify(body)).toBe(409);
        expect(misuse.body.message).toMatch(/Idempotency-Key was already used for a different request/);
      }
      expect(await requests()).toBe(count);
      expect(await balanceOf(userId)).toBe(before);
      // The key is the requester's: another admin's same key is a request of their own.
      const other = await grant({ amount: 2200, reason: 'Retried while held' }, approver.session);
      expect(other.status).toBe(202);
      expect(other.body.approval_request.id).not.toBe(first.body.approval_request.id);
      expect((await act(approver.session, `/api/approval_requests/${other.body.approval_request.id}/reject`)).status).toBe(200);

      // Once decided, a retry still answers with that request, as it is now, and runs nothing more.
      const id = first.body.approval_request.id;
      expect((await act(approver.session, `/api/approval_requests/${id}/approve`)).status).toBe(200);
      const late = await grant({ amount: 2200, reason: 'Retried while held' });
      expect(late.status).toBe(202);
      expect(late.headers.get('idempotent-replayed')).toBe('true');
      expect(late.body.approval_request).toMatchObject({ id, status: 'approved' });
      expect(late.body).not.toHaveProperty('approval_request.idempotency_key');
      expect(await balanceOf(userId)).toBe(before + 2200);
      expect(await requests()).toBe(count + 1);
    });

    it.skipIf(engine !== 'postgres')(`held requests retried at once with one Idempotency-Key store one request, and every answer names it${onPostgres}`, async () => {
      const [requester] = await twoAdmins();
      const userId = await member();
      const key = randomUUID();
      // Writes to approval_requests wait behind another connection's table lock (reads do not): every
      // call passes the replay check and is about to insert before any of them stores its request.
      const locks = await lockHolder(server().databaseUrl!);
      try {
        await locks.hold('lock table approval_requests in share row exclusive mode');
        const calls = Array.from({ length: 4 }, () => act(requester.session, `/api/users/${userId}/role`, { role: 'support' }, { 'idempotency-key': key }));
        await locks.waitFor(4, 'every retry to wait to store its request');
        await locks.release();
        const results = await Promise.all(calls);
        expect(results.map((r) => r.status)).toEqual(Array(4).fill(202));
        expect(new Set(results.map((r) => r.body.approval_request.id)).size).toBe(1);
        expect(results.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(3);
        expect((await rows<{ n: number }>(server(), sql`select count(*)::int as n from approval_requests where record_id = ${String(userId)} and action = 'change_role'`))[0]!.n).toBe(1);
      } finally {
        await locks.end();
      }
    });

    it('hostile values: refused at the request naming the field; accepted ones are stored and run exactly as sent', async () => {
      const [requester, approver] = await twoAdmins();
      const userId = await member();
      for (const reason of ['nul \u0000 inside', 'lone \ud800 surrogate', 'x'.repeat(70_000)]) {
        const res = await act(requester.session, `/api/users/${userId}/credits`, { amount: 5000, reason });
        expect(res.status).toBe(400);
        expect(res.body.errors).toHaveProperty('reason');
      }
      expect((await act(requester.session, `/api/users/${userId}/credits`, { amount: 1e308, reason: 'huge' })).status).toBe(400);
      expect((await act(requester.session, `/api/users/${userId}/credits`, { amount: '5000', reason: 'string' })).status).toBe(400);
      const reason = `<img src=x onerror=alert(1)> “quoted” 🧾 ${'y'.repeat(300)}`;
      const requests = async () => (await rows<{ n: number }>(server(), sql`select count(*)::int as n from approval_requests`))[0]!.n;
      const count = await requests();
      const proto = await act(requester.session, `/api/users/${userId}/credits`, JSON.parse(`{"amount": 4000, "reason": "proto", "__proto__": {"admin": true}}`));
      expect(proto.status).toBe(400);
      expect(await requests()).toBe(count);
      // A body cannot name another target: the user is the one in the path.
      const held = await act(requester.session, `/api/users/${userId}/credits`, { amount: 4000, reason, userId: 1 });
      expect(held.status).toBe(202);
      const id = held.body.approval_request.id;
      const stored = await storedInput(id);
      expect(stored.args).toEqual({ amount: 4000, reason, userId });
      const done = await act(approver.session, `/api/approval_requests/${id}/approve`, { note: 'ok' });
      expect(done.status).toBe(200);
      expect(done.body.result.transaction).toMatchObject({ user_id: userId, amount: 4000, description: reason });
      expect((await act(approver.session, `/api/approval_requests/${id}/approve`, { note: 'n'.repeat(70_000) })).body.errors).toHaveProperty('note');

      // A stored input altered behind the server's back is checked again before it runs.
      const tampered = (await act(requester.session, `/api/users/${userId}/credits`, { amount: 4000, reason: 'to tamper' })).body.approval_request.id;
      await rows(server(), sql`update approval_requests set input = jsonb_set(input, '{args,amount}', '"1e308"') where id = ${tampered}`);
      const before = await balanceOf(userId);
      const refused = await act(approver.session, `/api/approval_requests/${tampered}/approve`);
      expect(refused.status).toBe(409);
      expect(refused.body.message).toMatch(/no longer valid/);
      expect(await balanceOf(userId)).toBe(before);
    });

    it('a use case that refuses on approval marks the request failed with its reason and changes nothing', async () => {
      const [requester, approver] = await twoAdmins();
      const userId = await member();
      const before = await balanceOf(userId);
      const id = (await act(requester.session, `/api/users/${userId}/credits`, { amount: -(before + 5000), reason: 'Too much' })).body.approval_request.id;
      const res = await act(approver.session, `/api/approval_requests/${id}/approve`);
      expect(res.status).toBe(409);
      expect(res.body.message).toMatch(/negative balance/);
      expect((await approver.session.json(`/api/approval_requests/${id}`)).body).toMatchObject({ status: 'failed', error: res.body.message });
      expect(await balanceOf(userId)).toBe(before);
    });

    it('refunds, payouts, role changes and key rotations go through the same gate', async () => {
      const [requester, approver] = await twoAdmins();
      const approve = async (id: number) => {
        const res = await act(approver.session, `/api/approval_requests/${id}/approve`);
        expect(res.status).toBe(200);
        return res.body;
      };

      const [order] = await rows<{ id: number }>(server(), sql`select o.id from orders o join credits c on c.user_id = o.user_id where o.status = 'paid' and o.amount > 5000 and c.left_credits >= o.credits order by o.id limit 1`);
      const refund = await act(requester.session, `/api/orders/${order!.id}/refund`, { reason: 'Customer asked' });
      expect(refund.status).toBe(202);
      expect((await rows(server(), sql`select status from orders where id = ${order!.id}`))[0]!.status).toBe('paid');
      await approve(refund.body.approval_request.id);
      expect((await rows(server(), sql`select status from orders where id = ${order!.id}`))[0]!.status).toBe('refunded');
      expect((await auditOf(approver.session, 'orders', order!.id))[0]).toMatchObject({ action: 'refund', actor_id: requester.creds.id, approved_by_id: approver.creds.id });

      const pending = await rows<{ id: number }>(server(), sql`select id from affiliates where status = 'pending' order by id limit 2`);
      const ids = pending.map((p) => p.id);
      expect((await act(requester.session, '/api/affiliates/approve', { ids })).status).toBe(200);
      const pay = await act(requester.session, '/api/affiliates/pay', { ids });
      expect(pay.status).toBe(202);
      expect(pay.body.approval_request.summary).toMatch(/Pay out 2 commissions/);
      await approve(pay.body.approval_request.id);
      expect((await rows(server(), sql`select distinct status from affiliates where id in (${ids[0]}, ${ids[1]})`)).map((r) => r.status)).toEqual(['paid']);

      const userId = await member();
      const form = await requester.session.json(`/api/users/${userId}`, { method: 'PUT', body: JSON.stringify({ role: 'admin' }) });
      expect(form.status).toBe(409);
      expect(form.body.errors).toHaveProperty('role');
      const role = await act(requester.session, `/api/users/${userId}/role`, { role: 'support' });
      expect(role.status).toBe(202);
      expect((await act(requester.session, `/api/users/${userId}/role`, { role: 'owner' })).status).toBe(400);
      await approve(role.body.approval_request.id);
      expect((await rows(server(), sql`select role from users where id = ${userId}`))[0]!.role).toBe('support');

      const [key] = await rows<{ id: number; last_four: string }>(server(), sql`select id, last_four from ai_provider_keys order by id limit 1`);
      const plaintext = 'sk-approval-secret-9Zq4';
      const rotate = await act(requester.session, `/api/ai_provider_keys/${key!.id}/rotate`, { key: plaintext });
      expect(rotate.status).toBe(202);
      const list = await approver.session.json('/api/approval_requests');
      const stored = JSON.stringify(await storedInput(rotate.body.approval_request.id));
      for (const shown of [JSON.stringify(rotate.body), JSON.stringify(list.body), stored]) expect(shown).not.toContain('sk-approval-secret');
      expect((await rows(server(), sql`select last_four from ai_provider_keys where id = ${key!.id}`))[0]!.last_four).toBe(key!.last_four);
      const rotated = await approve(rotate.body.approval_request.id);
      expect(JSON.stringify(rotated)).not.toContain('sk-approval-secret');
      expect((await rows(server(), sql`select last_four from ai_provider_keys where id = ${key!.id}`))[0]!.last_four).toBe('9Zq4');
    });

    it('support may not decide (403), and the list is a react-admin resource', async () => {
      const { session: support } = await signIn(server(), 'support');
      const [requester] = await twoAdmins();
      const id = (await act(requester.session, `/api/users/${await member()}/credits`, { amount: 9000, reason: 'For the list' })).body.approval_request.id;
      expect((await act(support, `/api/approval_requests/${id}/approve`)).status).toBe(403);
      const { data, total } = await support.dataProvider().getList('approval_requests', { pagination: { page: 1, perPage: 100 }, sort: { field: 'created_at', order: 'DESC' }, filter: { segment: 'open' } });
      expect(total).toBeGreaterThan(0);
      const mine = data.find((r) => r.id === id);
      expect(mine).toMatchObject({ status: 'pending', requested_by_email: requester.creds.email });
      expect(mine).not.toHaveProperty('input');
    });
  },
  { demo: true, config: { approvals } },
);
