import { randomBytes, randomUUID } from 'node:crypto';
import simpleRestProvider from 'ra-data-simple-rest';
import { fetchUtils, type DataProvider } from 'ra-core';
import { hashPassword } from '../../src/auth/passwords';
import { users } from '../../src/db/schema';
import type { UseCaseActor } from '../../src/usecases';
import { actionContext } from '../../src/usecases/context';
import type { TestServer } from './testServer';

export interface OperatorCredentials {
  id: number;
  email: string;
  password: string;
  role: 'admin' | 'support' | 'member';
}

let seq = 0;
/** Inserts a console operator with a random password, the way admin:create would. */
export async function createOperator(server: TestServer, role: OperatorCredentials['role'] = 'admin'): Promise<OperatorCredentials> {
  const email = `${role}-${++seq}-${randomBytes(3).toString('hex')}@ops.test`;
  const password = randomBytes(12).toString('base64url');
  const [row] = await server.ctx.database.db
    .insert(users)
    .values({ email, name: `${role} operator`, role, passwordHash: await hashPassword(password) })
    .returning({ id: users.id });
  return { id: row!.id, email, password, role };
}

/**
 * A use case's caller as a job or a CLI would be (no HTTP): the deps, a new operator of `role` as
 * the actor with `requestId`, the database, and a new member without credits to act on.
 */
export async function useCaseCaller(server: TestServer, role: OperatorCredentials['role'], requestId: string) {
  const op = await createOperator(server, role);
  const actor: UseCaseActor = { actorId: op.id, actorEmail: op.email, ip: null, requestId };
  const db = server.ctx.database.db;
  const [member] = await db.insert(users).values({ email: `m-${randomUUID()}@x.test`, name: 'member' }).returning({ id: users.id });
  return { deps: actionContext(server.ctx), actor, db, memberId: member!.id, op };
}

/** A signed-in HTTP session: cookie jar of one, plus the CSRF header the console sends. */
export class Session {
  cookie = '';
  csrf = '';
  constructor(readonly baseUrl: string) {}

  async login(email: string, password: string) {
    const res = await this.fetch('/api/auth/login', { method: 'POST', body: JSON.stringify({ email, password }) });
    if (res.ok) {
      const body = (await res.json()) as { csrfToken: string };
      this.csrf = body.csrfToken;
    }
    return res;
  }

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (init.body && !headers.has('content-type')) headers.set('content-type', 'application/json');
    if (this.cookie) headers.set('cookie', this.cookie);
    if (this.csrf && !headers.has('x-csrf-token')) headers.set('x-csrf-token', this.csrf);
    const res = await fetch(`${this.baseUrl}${path}`, { ...init, headers });
    const set = res.headers.getSetCookie();
    if (set.length) {
      const jar = new Map(this.cookie ? this.cookie.split('; ').map((c) => c.split('=') as [string, string]) : []);
      for (const c of set) {
        const [pair] = c.split(';');
        const [k, v] = pair!.split('=') as [string, string];
        if (/expires=Thu, 01 Jan 1970/i.test(c)) jar.delete(k);
        else jar.set(k, v);
      }
      this.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    }
    return res;
  }

  /** JSON helper: returns status and parsed body. */
  async json<T = any>(path: string, init: RequestInit = {}): Promise<{ status: number; body: T; headers: Headers }> {
    const res = await this.fetch(path, init);
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T, headers: res.headers };
  }

  /** The published ra-data-simple-rest client, sending this session's cookie and CSRF token. */
  dataProvider(): DataProvider {
    const httpClient = (url: string, options: fetchUtils.Options = {}) => {
      const headers = new Headers(options.headers as HeadersInit);
      headers.set('cookie', this.cookie);
      headers.set('x-csrf-token', this.csrf);
      return fetchUtils.fetchJson(url, { ...options, headers });
    };
    return simpleRestProvider(`${this.baseUrl}/api`, httpClient);
  }
}

export async function signIn(server: TestServer, role: OperatorCredentials['role'] = 'admin') {
  const creds = await createOperator(server, role);
  const session = new Session(server.url);
  const res = await session.login(creds.email, creds.password);
  if (!res.ok && role !== 'member') throw new Error(`login failed: ${res.status}`);
  return { session, creds };
}
