import helmet from 'helmet';
import { expect, it } from 'vitest';
import { createLogger } from '../../src/logger';
import { LogCapture } from '../hardening/support';
import { createOperator, signIn } from '../support/operators';
import { describeEachEngine } from '../support/testServer';

const logs = new LogCapture();

describeEachEngine(
  'the per-request path',
  (server) => {
    it("API answers over plain HTTP carry helmet's headers for plain HTTP, set once per response, and no ETag", async () => {
      const { session } = await signIn(server(), 'support');
      const res = await session.fetch('/api/users?range=[0,4]');
      expect(res.status).toBe(200);
      // What helmet itself sets on a response, compared with what the server sent.
      const expected = new Map<string, string>();
      helmet({
        contentSecurityPolicy: { directives: { 'style-src': ["'self'", "'unsafe-inline'"], 'img-src': ["'self'", 'data:', 'https:'], 'upgrade-insecure-requests': null } },
        strictTransportSecurity: false,
      })(
        {} as never,
        { setHeader: (k: string, v: string) => expected.set(k.toLowerCase(), String(v)), removeHeader: () => {} } as never,
        () => {},
      );
      expect(expected.size).toBeGreaterThan(8);
      for (const [name, value] of expected) expect(res.headers.get(name), name).toBe(value);
      expect(res.headers.get('strict-transport-security')).toBeNull();
      expect(res.headers.get('etag')).toBeNull();
      expect(res.headers.get('x-powered-by')).toBeNull();
    });

    it('getOne answers each resource from its prepared statement, and 404s an unknown id', async () => {
      const { session } = await signIn(server(), 'support');
      const other = await createOperator(server(), 'admin');
      for (let i = 0; i < 3; i++) {
        const res = await session.json(`/api/users/${other.id}`);
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ id: other.id, email: other.email, role: 'admin' });
        expect(res.body).not.toHaveProperty('password_hash');
      }
      expect((await session.json('/api/users/2147483000')).status).toBe(404);
      expect((await session.json('/api/audit_log/2147483000')).status).toBe(404);
    });

    it('reads answer JSON as res.json did: its content type, an exact length, and HEAD with the length and no body', async () => {
      const { session } = await signIn(server(), 'support');
      const other = await createOperator(server(), 'admin');
      for (const path of [`/api/users/${other.id}`, '/api/users?range=[0,4]']) {
        const res = await session.fetch(path);
        const bytes = Buffer.from(await res.arrayBuffer());
        expect(res.status, path).toBe(200);
        expect(res.headers.get('content-type'), path).toBe('application/json; charset=utf-8');
        expect(Number(res.headers.get('content-length')), path).toBe(bytes.length);
        expect(JSON.parse(bytes.toString('utf8')), path).toBeTruthy();
        const head = await session.fetch(path, { method: 'HEAD' });
        expect(head.status, path).toBe(200);
        expect(head.headers.get('content-type'), path).toBe('application/json; charset=utf-8');
        expect(head.headers.get('content-length'), path).toBe(String(bytes.length));
        expect((await head.arrayBuffer()).byteLength, path).toBe(0);
      }
    });

    it('each answered request is one log line with its id, path without the query string, status and time', async () => {
      const { session } = await signIn(server(), 'support');
      const res = await session.fetch('/api/users?filter=%7B%22q%22%3A%22secret-search%22%7D');
      const id = res.headers.get('x-request-id');
      const line = logs.lines.map((l) => JSON.parse(l) as Record<string, any>).find((l) => l.reqId === id);
      expect(line).toMatchObject({ msg: 'request completed', req: { method: 'GET', path: '/api/users' }, res: { status: 200 } });
      expect(typeof line!.responseTime).toBe('number');
      expect(logs.lines.join('\n')).not.toContain('secret-search');
    });
  },
  { logger: createLogger({ level: 'info', destination: logs.stream }) },
);
