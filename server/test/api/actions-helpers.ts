import type { SQL } from 'drizzle-orm';
import { queryRows } from '../../src/db/client';
import type { Session } from '../support/operators';
import type { TestServer } from '../support/testServer';

/** POST an action as the console does: JSON body, the session's cookie and CSRF token. */
export function act<T = any>(session: Session, path: string, body?: unknown, headers: Record<string, string> = {}) {
  return session.json<T>(path, { method: 'POST', body: body === undefined ? undefined : JSON.stringify(body), headers });
}

/** The newest audit rows for one record, read back through the API like the console's history tab. */
export async function auditOf(session: Session, resource: string, recordId: number | string) {
  const filter = encodeURIComponent(JSON.stringify({ resource, record_id: String(recordId) }));
  const res = await session.json<Record<string, any>[]>(`/api/audit_log?filter=${filter}&sort=${encodeURIComponent('["id","DESC"]')}`);
  if (res.status !== 200) throw new Error(`audit_log: ${res.status}`);
  return res.body;
}

/** Raw rows straight from the test database, for checking what the API did (never the same query it runs). */
export function rows<T = Record<string, any>>(server: TestServer, query: SQL) {
  return queryRows<T>(server.ctx.database.db, query);
}
