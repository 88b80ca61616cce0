import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import * as pulumi from '@pulumi/pulumi';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NeonProjectProvider, type NeonProjectInputs, type NeonProjectOutputs } from '../neon/provider';

const API_KEY = 'neon-test-key';

/** A small stand-in for the Neon API v2, over real HTTP on loopback. */
class FakeNeon {
  server!: Server;
  baseUrl = '';
  calls: string[] = [];
  projects = new Map<string, {
    name: string; branch: string; roles: Set<string>; databases: Map<string, string>;
    region: string; pgVersion: number; retention: number; suspend: number; password: string;
  }>();
  /** How many more DELETE /projects/:id answer 423 before one succeeds. */
  lockedDeletes = 0;
  private nextId = 1;

  async start() {
    this.server = createServer((req, res) => {
      void this.handle(req).then(([status, body]) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api/v2`;
  }

  async handle(req: IncomingMessage): Promise<[number, unknown]> {
    const url = new URL(req.url!, 'http://fake');
    const path = url.pathname.replace('/api/v2', '');
    this.calls.push(`${req.method} ${path}`);
    if (req.headers.authorization !== `Bearer ${API_KEY}`) return [401, { code: '', message: 'authentication failed' }];
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const body = raw ? JSON.parse(raw) : {};
    const [, , projectId, , branchId, kind, item] = path.split('/');
    const project = this.projects.get(projectId);

    if (req.method === 'POST' && path === '/projects') {
      const id = `proj-${this.nextId++}`;
      const b = body.project.branch;
      this.projects.set(id, {
        name: body.project.name, branch: b.name, roles: new Set([b.role_name]), databases: new Map([[b.database_name, b.role_name]]),
        region: body.project.region_id, pgVersion: body.project.pg_version,
        retention: body.project.history_retention_seconds ?? 86400, suspend: body.project.default_endpoint_settings?.suspend_timeout_seconds ?? 0,
        password: 'pw',
      });
      return [201, { project: { id, name: body.project.name }, branch: { id: `br-${id}`, name: b.name }, operations: [] }];
    }
    if (!project) return [404, { code: '', message: 'project not found' }];
    if (req.method === 'DELETE' && !branchId) {
      if (this.lockedDeletes > 0) {
        this.lockedDeletes--;
        return [423, { code: '', message: 'project already has running operations' }];
      }
      this.projects.delete(projectId);
      return [200, { project: { id: projectId } }];
    }
    if (req.method === 'GET' && path.endsWith('/connection_uri')) {
      const role = url.searchParams.get('role_name')!;
      const db = url.searchParams.get('database_name')!;
      const host = url.searchParams.get('pooled') === 'true' ? `ep-${projectId}-pooler.fake.neon.tech` : `ep-${projectId}.fake.neon.tech`;
      return [200, { uri: `postgresql://${role}:${project.password}-${role}@${host}/${db}?sslmode=require` }];
    }
    if (req.method === 'GET' && !branchId) {
      return [200, { project: {
        id: projectId, name: project.name, region_id: project.region, pg_version: project.pgVersion,
        history_retention_seconds: project.retention, default_endpoint_settings: { suspend_timeout_seconds: project.suspend },
      } }];
    }
    if (req.method === 'GET' && !kind) {
      return [200, { branch: { id: branchId, name: project.branch } }];
    }
    if (req.method === 'PATCH' && !branchId) {
      project.name = body.project.name;
      project.retention = body.project.history_retention_seconds ?? project.retention;
      project.suspend = body.project.default_endpoint_settings?.suspend_timeout_seconds ?? project.suspend;
      return [200, { project: { id: projectId }, operations: [] }];
    }
    if (req.method === 'PATCH' && !kind) {
      project.branch = body.branch.name;
      return [200, { branch: { id: branchId }, operations: [] }];
    }
    if (kind === 'roles' && req.method === 'POST') {
      project.roles.add(body.role.name);
      return [201, { role: body.role, operations: [] }];
    }
    if (kind === 'roles' && req.method === 'DELETE') {
      if ([...project.databases.values()].includes(item)) return [409, { message: 'role owns a database' }];
      project.roles.delete(item);
      return [200, { role: { name: item }, operations: [] }];
    }
    if (kind === 'databases' && req.method === 'PATCH') {
      const owner = body.database.owner_name ?? project.databases.get(item)!;
      project.databases.delete(item);
      project.databases.set(body.database.name ?? item, owner);
      return [200, { database: { name: body.database.name ?? item }, operations: [] }];
    }
    return [400, { message: `unexpected ${req.method} ${path}` }];
  }
}

const neon = new FakeNeon();
const provider = new NeonProjectProvider({ retryDelayMs: 5, maxAttempts: 4 });
let inputs: NeonProjectInputs;

beforeAll(() => neon.start());
afterAll(() => new Promise<void>((resolve) => neon.server.close(() => resolve())));
beforeEach(() => {
  neon.calls = [];
  neon.lockedDeletes = 0;
  inputs = {
    apiKey: API_KEY,
    apiUrl: neon.baseUrl,
    projectName: 'opsroom-test',
    regionId: 'aws-us-east-1',
    pgVersion: 17,
    branchName: 'main',
    roleName: 'opsroom',
    databaseName: 'opsroom',
  };
});

async function created(): Promise<NeonProjectOutputs> {
  const result = await provider.create(inputs);
  return result.outs!;
}

describe('Neon dynamic provider against a fake Neon API', () => {
  it('creating makes one project with its branch, role and database, and returns both URLs', async () => {
    const outs = await created();
    const project = neon.projects.get(outs.projectId)!;
    expect(project).toMatchObject({ name: 'opsroom-test', branch: 'main' });
    expect([...project.databases]).toEqual([['opsroom', 'opsroom']]);
    expect(outs.directUrl).toBe(`postgresql://opsroom:pw-opsroom@ep-${outs.projectId}.fake.neon.tech/opsroom?sslmode=require`);
    expect(outs.pooledUrl).toContain(`@ep-${outs.projectId}-pooler.fake.neon.tech/`);
    expect(outs.host).toBe(`ep-${outs.projectId}.fake.neon.tech`);
  });

  it('changing the region or Postgres version is refused, since it would replace the project with an empty one', async () => {
    const outs = await created();
    await expect(provider.diff(outs.projectId, outs, { ...inputs, regionId: 'aws-eu-central-1', pgVersion: 16 }))
      .rejects.toThrow(/changing regionId, pgVersion would replace Neon project proj-\d+ with a new, empty one.*allowReplace/);
  });

  it('with allowReplace the same change replaces the project', async () => {
    const outs = await created();
    const diff = await provider.diff(outs.projectId, outs, { ...inputs, regionId: 'aws-eu-central-1', pgVersion: 16, allowReplace: true });
    expect(diff).toMatchObject({ changes: true, replaces: ['regionId', 'pgVersion'] });
  });

  it('history retention and suspend settings are set at creation and updated in place', async () => {
    inputs = { ...inputs, historyRetentionSeconds: 604800, suspendTimeoutSeconds: -1 };
    const outs = await created();
    expect(neon.projects.get(outs.projectId)).toMatchObject({ retention: 604800, suspend: -1 });
    const news = { ...inputs, historyRetentionSeconds: 86400 };
    expect(await provider.diff(outs.projectId, outs, news)).toMatchObject({ changes: true, replaces: [] });
    await provider.update(outs.projectId, outs, news);
    expect(neon.projects.get(outs.projectId)).toMatchObject({ retention: 86400, suspend: -1 });
  });

  it('refresh reads back what changed in the Neon console: a rename, a setting, a password reset', async () => {
    inputs = { ...inputs, historyRetentionSeconds: 604800 };
    const outs = await created();
    const project = neon.projects.get(outs.projectId)!;
    Object.assign(project, { name: 'renamed-in-console', branch: 'prod', retention: 3600, password: 'reset' });
    const read = await provider.read(outs.projectId, outs);
    expect(read.id).toBe(outs.projectId);
    expect(read.props).toMatchObject({ projectName: 'renamed-in-console', branchName: 'prod', historyRetentionSeconds: 3600, regionId: 'aws-us-east-1', pgVersion: 17 });
    expect(read.props!.directUrl).toContain(':reset-opsroom@');
    // The next diff against the program's inputs then shows the drift as an in-place update.
    expect(await provider.diff(outs.projectId, read.props!, inputs)).toMatchObject({ changes: true, replaces: [] });
  });

  it('refresh of a project deleted in the console reports it gone', async () => {
    const outs = await created();
    neon.projects.delete(outs.projectId);
    expect(await provider.read(outs.projectId, outs)).toEqual({});
  });

  it('renaming the project, branch or database is an in-place update', async () => {
    const outs = await created();
    const news = { ...inputs, projectName: 'opsroom-renamed', branchName: 'production', databaseName: 'ops' };
    expect(await provider.diff(outs.projectId, outs, news)).toMatchObject({ changes: true, replaces: [] });
    const updated = (await provider.update(outs.projectId, outs, news)).outs!;
    expect(neon.projects.get(outs.projectId)).toMatchObject({ name: 'opsroom-renamed', branch: 'production' });
    expect([...neon.projects.get(outs.projectId)!.databases.keys()]).toEqual(['ops']);
    expect(updated.directUrl).toMatch(/\/ops\?sslmode=require$/);
  });

  it('renaming the role hands the database to the new role and drops the old one', async () => {
    const outs = await created();
    const updated = (await provider.update(outs.projectId, outs, { ...inputs, roleName: 'opsroom_app' })).outs!;
    const project = neon.projects.get(outs.projectId)!;
    expect([...project.roles]).toEqual(['opsroom_app']);
    expect(project.databases.get('opsroom')).toBe('opsroom_app');
    expect(updated.directUrl).toContain('postgresql://opsroom_app:');
  });

  it('an unchanged project reports no changes', async () => {
    const outs = await created();
    expect(await provider.diff(outs.projectId, outs, inputs)).toMatchObject({ changes: false, replaces: [] });
  });

  it('a rejected API key fails with the Neon message and is not retried', async () => {
    await expect(provider.create({ ...inputs, apiKey: 'wrong' })).rejects.toThrow(/create project failed with 401: authentication failed \(check opsroom:neonApiKey\)/);
    expect(neon.calls).toEqual(['POST /projects']);
  });

  it('deleting a project Neon no longer has succeeds', async () => {
    const outs = await created();
    neon.projects.delete(outs.projectId);
    await expect(provider.delete(outs.projectId, outs)).resolves.toBeUndefined();
  });

  it('a locked project is retried until Neon accepts the delete', async () => {
    const outs = await created();
    neon.lockedDeletes = 2;
    await provider.delete(outs.projectId, outs);
    expect(neon.projects.has(outs.projectId)).toBe(false);
    expect(neon.calls.filter((c) => c === `DELETE /projects/${outs.projectId}`)).toHaveLength(3);
  });

  it('a project that stays locked fails after the last attempt', async () => {
    const outs = await created();
    neon.lockedDeletes = 10;
    await expect(provider.delete(outs.projectId, outs)).rejects.toThrow(/delete project failed with 423/);
    expect(neon.calls.filter((c) => c.startsWith('DELETE'))).toHaveLength(4);
  });

  it('the serialized provider, loaded the way the dynamic-provider host loads it, still works', async () => {
    const serialized = await pulumi.runtime.serializeFunction(() => provider);
    const requireFromString = createRequire(import.meta.url)('require-from-string') as (code: string) => { handler: () => NeonProjectProvider };
    const hosted = requireFromString(serialized.text).handler();
    const outs = (await hosted.create(inputs)).outs!;
    expect(neon.projects.has(outs.projectId)).toBe(true);
    await hosted.delete(outs.projectId, outs);
    expect(neon.projects.has(outs.projectId)).toBe(false);
  });
});
