import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Finding, MigrationFile } from './migrationRules';

/**
 * Squawk's rules (a real Postgres parser) on top of opsroom's own, for what ours do not know.
 * Left out: what opsroom checks itself with knowledge squawk lacks (tables new in this batch, the
 * running release's schema, the no-transaction marker), what the runner already does (lock and
 * statement timeouts), and style preferences that are not about locks or the running release.
 */
export const SQUAWK_EXCLUDED = [
  // opsroom's schema- and batch-aware versions
  'require-concurrent-index-creation', 'require-concurrent-index-deletion', 'constraint-missing-not-valid',
  'adding-foreign-key-constraint', 'ban-drop-column', 'ban-drop-table', 'renaming-column', 'renaming-table',
  'adding-required-field', 'adding-not-nullable-field', 'changing-column-type', 'disallowed-unique-constraint',
  'ban-concurrent-index-creation-in-transaction', 'adding-field-with-default',
  // the runner sets lock_timeout and statement_timeout on every migration
  'require-lock-timeout', 'require-statement-timeout',
  // style, not safety
  'prefer-robust-stmts', 'prefer-bigint-over-int', 'prefer-bigint-over-smallint', 'prefer-identity',
  'prefer-text-field', 'prefer-timestamptz', 'ban-char-field',
];

interface SquawkViolation {
  file: string;
  line: number;
  message: string;
  help?: string;
  rule_name: string;
}

function squawkBinary(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('squawk-cli/package.json')), '..', '.bin', 'squawk');
}

/** Squawk's findings for each file, with lines 1-based like opsroom's. Throws if squawk cannot run. */
export function squawkFindings(files: MigrationFile[], pgVersion = '17'): Finding[] {
  const findings: Finding[] = [];
  for (const file of files) {
    const result = spawnSync(squawkBinary(), [
      '--reporter', 'json', '--pg-version', pgVersion, `--exclude=${SQUAWK_EXCLUDED.join(',')}`,
      '--stdin-filepath', file.path,
    ], { input: file.sql, encoding: 'utf8' });
    if (result.error) throw new Error(`squawk did not run: ${result.error.message}`);
    let violations: SquawkViolation[];
    try {
      violations = JSON.parse(result.stdout || '[]') as SquawkViolation[];
    } catch {
      throw new Error(`squawk failed on ${file.path}: ${(result.stderr || result.stdout).trim()}`);
    }
    for (const v of violations) {
      findings.push({ file: file.path, line: v.line + 1, rule: `squawk:${v.rule_name}`, message: v.message, fix: v.help ?? 'see https://squawkhq.com/docs/rules' });
    }
  }
  return findings;
}
