import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// Routes are adapters: parse, authorize, call a use case, respond. A query built in a route file
// cannot be called from a CLI, a job or a test without HTTP, so this reads every file that
// registers a route or builds a handler (a factory returning a RequestHandler registers nothing
// itself) and refuses database access in it. Passing `db` on as a use case's deps is fine.

const SRC = join(import.meta.dirname, '../../src');

/** Route files not converted yet, each with the reason; the test also fails once one is clean, so the list only shrinks. */
const NOT_YET: Record<string, string> = {};

const registersRoutes = /\b(router|app|api)\.(get|post|put|patch|delete|all|param)\(/;
/** Handlers are built wherever Express' request, response or handler types are named. */
const buildsHandlers = /^import\s[^;]*\b(Request|RequestHandler|Response|NextFunction)\b[^;]*from\s+'express';/m;
const isRouteFile = (text: string) => registersRoutes.test(text) || buildsHandlers.test(text);

const DIRECT_ACCESS: [string, RegExp][] = [
  ['a query on db/tx/readDb', /\b(db|tx|readDb)\s*\.\s*(select|selectDistinct|insert|update|delete|execute|transaction|query)\b/],
  ['raw SQL (queryRows / sql``)', /\bqueryRows\s*\(|\bsql`/],
  ['a table imported from db/schema', /^import\s+(?!type\b)[^;]*from\s+'[./]*db\/schema(\/[^']*)?';/m],
  ['query operators imported from drizzle-orm', /^import\s+(?!type\b)[^;]*from\s+'drizzle-orm';/m],
];

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/** Each way a route file reaches the database directly, as `file: what`. */
function directAccess(files: { path: string; text: string }[]): string[] {
  return files.filter((f) => isRouteFile(f.text)).flatMap((f) => DIRECT_ACCESS.filter(([, re]) => re.test(f.text)).map(([what]) => `${f.path}: ${what}`));
}

const sourceFiles = tsFiles(SRC).map((path) => ({ path: relative(SRC, path), text: readFileSync(path, 'utf8') }));

/** Files outside http/ that may speak HTTP: middleware and parsers, by design. */
const HTTP_SIDE: Record<string, string> = {
  'app.ts': 'assembles the Express app',
  'server.ts': 'listens and shuts down',
  'auth/middleware.ts': 'session and role middleware',
  'auth/issueSession.ts': 'sets the session cookies on the response',
  'resources/listQuery.ts': 'parses the query string of list requests (the parse step)',
  'adopt/app.ts': "mounts an adopted database's routers on /api",
};

const importsHttp = /^import\s[^;]*from\s+'(express|[./]*http\/[^']*)';/m;

describe('route files are thin adapters', () => {
  it('use cases and the rest of the domain code never see HTTP', () => {
    const speaking = sourceFiles
      .filter((f) => !f.path.startsWith('http/') && !(f.path in HTTP_SIDE) && !isRouteFile(f.text))
      .filter((f) => importsHttp.test(f.text))
      .map((f) => f.path);
    expect(speaking).toEqual([]);
  });

  it('no route file touches the database directly', () => {
    const found = directAccess(sourceFiles.filter((f) => !(f.path in NOT_YET)));
    expect(found).toEqual([]);
  });

  it('the not-yet-converted list only names files that still need it', () => {
    for (const path of Object.keys(NOT_YET)) {
      const file = sourceFiles.find((f) => f.path === path);
      expect(file && directAccess([file]).length, `${path} is clean now: remove it from NOT_YET`).toBeTruthy();
    }
  });

  it('the check sees a query, raw SQL and a schema import in a route file', () => {
    const route = (body: string) => [{ path: 'x/routes.ts', text: `import { Router } from 'express';\n${body}\nrouter.get('/x', async (req, res) => {});` }];
    expect(directAccess(route("const rows = await ctx.database.db.select().from(t);"))).toEqual(['x/routes.ts: a query on db/tx/readDb']);
    expect(directAccess(route('await tx.update(t).set({});'))).toEqual(['x/routes.ts: a query on db/tx/readDb']);
    expect(directAccess(route('await queryRows(db, q);'))).toEqual(['x/routes.ts: raw SQL (queryRows / sql``)']);
    expect(directAccess(route("import { users } from '../db/schema';"))).toEqual(['x/routes.ts: a table imported from db/schema']);
    expect(directAccess(route("import type { User } from '../db/schema';\nawait addUserNote({ db }, actor, input);"))).toEqual([]);
    const factory = "import type { RequestHandler } from 'express';\nexport const grant = (): RequestHandler => async (req, res) => { await ctx.database.db.transaction(async (tx) => tx.select().from(t)); };";
    expect(directAccess([{ path: 'x/grant.ts', text: factory }])).toEqual(['x/grant.ts: a query on db/tx/readDb']);
  });
});
