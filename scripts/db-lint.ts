import { parseArgs } from 'node:util';
import { ACCEPT_MARKER, lintMigrations, RULES } from './lint/migrationRules';
import { pendingMigrations } from './lint/pendingMigrations';
import { squawkFindings } from './lint/squawk';

const HELP = `Usage: npm run db:lint -- [--base <ref>] [file.sql ...]

Flags migration statements that lock or rewrite existing tables, or break the release that is
still running while the migration applies. Lints the files in drizzle/ that are not on the base
ref (default: $DB_LINT_BASE, else origin/main), or the files given.

Accept one finding on purpose with a comment on its own line above the statement:
  ${ACCEPT_MARKER} <rule-id> <why this is safe here>

Squawk's rules run too (as squawk:<rule>); silence one of those with squawk's own
  -- squawk-ignore <rule>

Rules:
${Object.entries(RULES)
  .map(([id, what]) => `  ${id.padEnd(38)} ${what}`)
  .join('\n')}
`;

function main(): number {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: { base: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (err) {
    console.error(`db:lint: ${(err as Error).message}; run with --help for usage`);
    return 2;
  }
  if (parsed.values.help) {
    console.log(HELP);
    return 0;
  }
  const base = parsed.values.base ?? process.env.DB_LINT_BASE ?? 'origin/main';
  let pending;
  try {
    pending = pendingMigrations({ cwd: process.cwd(), base, explicit: parsed.positionals });
  } catch (err) {
    console.error(`db:lint: ${(err as Error).message}; run it from the repository root`);
    return 2;
  }

  const own = lintMigrations(pending.files, { runningSchema: pending.runningSchema });
  // A statement opsroom already flagged is reported once, with opsroom's schema-aware reason.
  const flagged = new Set(own.map((f) => `${f.file}:${f.line}`));
  const findings = [...own, ...squawkFindings(pending.files).filter((f) => !flagged.has(`${f.file}:${f.line}`))];
  for (const f of findings) {
    console.log(`${f.file}:${f.line}  ${f.rule}  ${f.message}`);
    console.log(`    safe alternative: ${f.fix}`);
  }
  const summary = `db:lint: ${pending.scope}; ${findings.length} finding(s)`;
  if (findings.length) {
    console.log(`${summary}. Fix them, or accept one on purpose with "${ACCEPT_MARKER} <rule-id> <reason>" above the statement.`);
    return 1;
  }
  console.log(summary);
  return 0;
}

process.exitCode = main();
