import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { MigrationFile } from './migrationRules';

export interface PendingMigrations {
  files: MigrationFile[];
  /** Drizzle schema source at the base ref; undefined when the ref could not be read. */
  runningSchema?: string;
  /** One line saying what was compared, for the CLI to print. */
  scope: string;
}

export interface PendingOptions {
  cwd: string;
  base: string;
  migrationsDir?: string;
  schemaDir?: string;
  /** Lint exactly these files instead of the ones missing from the base ref. */
  explicit?: string[];
}

/**
 * The migrations that are not yet on the base branch, plus the schema the running release (the base
 * branch) was built from. Without git or the ref, every migration is linted and drops are assumed unsafe.
 */
export function pendingMigrations(options: PendingOptions): PendingMigrations {
  const { cwd, base } = options;
  const migrationsDir = options.migrationsDir ?? 'drizzle';
  const schemaDir = options.schemaDir ?? 'server/src/db/schema';
  const baseReadable = git(cwd, ['rev-parse', '--verify', '--quiet', `${base}^{commit}`]) !== undefined;
  const runningSchema = baseReadable ? readSchemaAt(cwd, base, schemaDir) : undefined;

  if (options.explicit?.length) {
    return { files: options.explicit.map((f) => read(cwd, f)), runningSchema, scope: `${options.explicit.length} file(s) given` };
  }

  const local = readdirSync(path.join(cwd, migrationsDir))
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => path.posix.join(migrationsDir, f));
  if (!baseReadable) {
    return {
      files: local.map((f) => read(cwd, f)),
      scope: `${base} is not available here, so all ${local.length} migrations were linted`,
    };
  }
  const onBase = new Set(lines(git(cwd, ['ls-tree', '-r', '--name-only', base, '--', `${migrationsDir}/`])));
  const pending = local.filter((f) => !onBase.has(f));
  return {
    files: pending.map((f) => read(cwd, f)),
    runningSchema,
    scope: `${pending.length} migration(s) not yet on ${base}`,
  };
}

/**
 * The schema source at `ref`: the aggregator `<dir>/index.ts` and every module it re-exports (each
 * domain keeps its tables in its own folder), or every file in `dir` when there is no aggregator.
 */
function readSchemaAt(cwd: string, ref: string, dir: string): string {
  const show = (file: string) => git(cwd, ['show', `${ref}:${file}`]);
  const aggregator = show(`${dir}/index.ts`);
  if (aggregator === undefined) {
    const files = lines(git(cwd, ['ls-tree', '-r', '--name-only', ref, '--', `${dir}/`])).filter((f) => f.endsWith('.ts'));
    return files.map((f) => show(f) ?? '').join('\n');
  }
  const modules = [...aggregator.matchAll(/from\s+['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => path.posix.join(dir, m[1]!));
  return [aggregator, ...modules.map((m) => show(`${m}.ts`) ?? show(`${m}/index.ts`) ?? '')].join('\n');
}

function read(cwd: string, file: string): MigrationFile {
  return { path: file, sql: readFileSync(path.resolve(cwd, file), 'utf8') };
}

function git(cwd: string, args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return undefined;
  }
}

function lines(text: string | undefined): string[] {
  return (text ?? '').split('\n').filter(Boolean);
}
