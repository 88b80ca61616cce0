import pg from 'pg';
import { expect, it } from 'vitest';
import { describeEachEngine } from '../support/testServer';

describeEachEngine('health probes', (server) => {
  it('/livez and /readyz answer 200 while the database is up', async () => {
    const live = await fetch(`${server().url}/livez`);
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${server().url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ok' });
  });
});

describeEachEngine('health probes during a database outage', (server) => {
  it('/readyz turns 503 when the database refuses connections while /livez, which the ALB polls, stays 200', async () => {
    const s = server();
    const dbName = new URL(s.databaseUrl!).pathname.slice(1);
    const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    try {
      await admin.query(`ALTER DATABASE "${dbName}" ALLOW_CONNECTIONS false`);
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [dbName]);
      const ready = await fetch(`${s.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({ status: 'unavailable', message: 'The database is unreachable.' });
      expect((await fetch(`${s.url}/livez`)).status).toBe(200);
    } finally {
      await admin.query(`ALTER DATABASE "${dbName}" ALLOW_CONNECTIONS true`);
      await admin.end();
    }
    expect((await fetch(`${s.url}/readyz`)).status).toBe(200);
  });
}, {}, { only: 'postgres' });
