import { NO_TRANSACTION_MARKER } from '../../server/src/db/migrate';
import { schemaReads } from './runningSchema';
import { splitStatements, type SqlStatement } from './sqlStatements';

/** Put on its own line above a statement to accept one finding on purpose; the reason is required. */
export const ACCEPT_MARKER = '-- opsroom:lint-accept';
export { NO_TRANSACTION_MARKER };

export interface MigrationFile {
  /** Path as shown in findings. */
  path: string;
  sql: string;
}

export interface Finding {
  file: string;
  line: number;
  /** opsroom's rule, or `squawk:<rule>` for one of squawk's. */
  rule: RuleId | `squawk:${string}`;
  message: string;
  /** What to do instead. */
  fix: string;
}

export interface LintOptions {
  /**
   * Source of the Drizzle schema the running release was built from (the base branch). A drop or
   * rename is only safe once that code no longer names the table or column. Undefined when it could
   * not be read: every drop and rename is then flagged.
   */
  runningSchema?: string;
}

export const RULES = {
  'add-column-not-null-without-default': 'NOT NULL column added to an existing table without a default',
  'add-column-volatile-default': 'column added to an existing table with a volatile default or identity',
  'set-not-null': 'SET NOT NULL on an existing table',
  'alter-column-type': 'column type changed on an existing table',
  'drop-column': 'column dropped while the running release still reads it',
  'rename-column': 'column renamed while the running release still reads it',
  'drop-table': 'table dropped while the running release still reads it',
  'rename-table': 'table renamed while the running release still reads it',
  'create-index-non-concurrent': 'index built without CONCURRENTLY on an existing table',
  'add-unique-constraint': 'UNIQUE or PRIMARY KEY constraint built on an existing table',
  'foreign-key-without-not-valid': 'foreign key added to an existing table without NOT VALID',
  'check-without-not-valid': 'check constraint added to an existing table without NOT VALID',
  'concurrently-in-transaction': 'CONCURRENTLY statement in a migration that runs in a transaction',
  'no-transaction-mixed': 'non-transactional migration that holds more than one CONCURRENTLY statement per step',
  'drop-index-non-concurrent': 'index dropped without CONCURRENTLY',
  'unbatched-update-delete': 'UPDATE or DELETE of a whole existing table in one statement',
  'foreign-key-in-do-block': 'foreign key added to an existing table inside a DO block without NOT VALID',
  'locking-maintenance': 'VACUUM FULL, REINDEX, CLUSTER or LOCK on a live table',
  truncate: 'TRUNCATE of an existing table',
  'accept-marker-invalid': 'accept marker without a known rule id and a reason',
} as const;

export type RuleId = keyof typeof RULES;

const FIX: Record<RuleId, string> = {
  'add-column-not-null-without-default':
    'add the column nullable (or with a constant DEFAULT), backfill in batches, then enforce NOT NULL in a later migration via CHECK (col IS NOT NULL) NOT VALID + VALIDATE CONSTRAINT',
  'add-column-volatile-default':
    'add the column nullable without a default, set the default in a second statement (applies to new rows only), and backfill existing rows in batches',
  'set-not-null':
    'ADD CONSTRAINT ... CHECK (col IS NOT NULL) NOT VALID, then VALIDATE CONSTRAINT in a later migration; SET NOT NULL after that skips the full-table scan (Postgres 12+)',
  'alter-column-type':
    'add a new column with the new type, write both, backfill, switch reads to the new column, and drop the old one in a later release',
  'drop-column':
    'ship a release whose code no longer reads the column first (remove it from the Drizzle schema), then drop it in a later release',
  'rename-column':
    'add the new column, write both, backfill, switch reads, and drop the old column in a later release; a rename breaks the running code at once',
  'drop-table':
    'ship a release whose code no longer reads the table first (remove it from the Drizzle schema), then drop it in a later release',
  'rename-table':
    'create the new table (or a view under the old name), move readers over in one release, and drop the old name in a later release',
  'create-index-non-concurrent': `CREATE INDEX CONCURRENTLY in its own migration whose first line is "${NO_TRANSACTION_MARKER}"`,
  'add-unique-constraint':
    `CREATE UNIQUE INDEX CONCURRENTLY in a "${NO_TRANSACTION_MARKER}" migration, then ALTER TABLE ... ADD CONSTRAINT ... UNIQUE USING INDEX`,
  'foreign-key-without-not-valid':
    'add the foreign key with NOT VALID (no scan, brief lock), then ALTER TABLE ... VALIDATE CONSTRAINT in a later migration',
  'check-without-not-valid':
    'add the check with NOT VALID (no scan, brief lock), then ALTER TABLE ... VALIDATE CONSTRAINT in a later migration',
  'concurrently-in-transaction': `start the migration with the line "${NO_TRANSACTION_MARKER}" (Postgres refuses CONCURRENTLY inside a transaction)`,
  'no-transaction-mixed':
    'keep only CONCURRENTLY statements in a non-transactional migration, each followed by "--> statement-breakpoint", and move the rest to a normal migration (a failure here leaves earlier steps applied)',
  'drop-index-non-concurrent': `DROP INDEX CONCURRENTLY in its own migration whose first line is "${NO_TRANSACTION_MARKER}" (a plain DROP INDEX locks the table against reads and writes)`,
  'unbatched-update-delete':
    'backfill or purge in batches of a few thousand rows (WHERE id BETWEEN ... or a LIMITed subquery) from a script or job, not in a migration that holds every row lock in one transaction',
  'foreign-key-in-do-block':
    'write the constraint as its own ALTER TABLE ... ADD CONSTRAINT ... FOREIGN KEY ... NOT VALID statement, then VALIDATE CONSTRAINT in a later migration',
  'locking-maintenance':
    'leave table maintenance out of migrations: REINDEX CONCURRENTLY or pg_repack run by hand, and no explicit LOCK (the runner already bounds lock waits)',
  truncate: 'delete old rows in batches from a job, or create a new table and swap readers over in a later release',
  'accept-marker-invalid': `write "${ACCEPT_MARKER} <rule-id> <reason>"; rule ids: ${Object.keys(RULES).join(', ')}`,
};

const NAME = String.raw`((?:[\w$]+\.)?[\w$]+)`;
const ALTER_TABLE = new RegExp(String.raw`^alter table (?:if exists )?(?:only )?${NAME} (.*)$`);
const VOLATILE =
  /\b(?:small|big)?serial\b|generated (?:always|by default) as identity|generated always as \(|default (?:gen_random_uuid|uuid_generate_v\d|random|clock_timestamp|timeofday|nextval)\s*\(/;

/**
 * Lints migrations in order. Tables created earlier in these same files are new: nothing reads them
 * and they hold no rows yet, so indexes, constraints and columns on them are safe.
 */
export function lintMigrations(files: MigrationFile[], options: LintOptions = {}): Finding[] {
  const findings: Finding[] = [];
  const newTables = new Set<string>();
  const newIndexes = new Set<string>();
  for (const file of files) {
    const statements = splitStatements(file.sql);
    const noTransaction = file.sql.trimStart().startsWith(NO_TRANSACTION_MARKER);
    const perStatement = statements.flatMap((s) => checkStatement(s, newTables, newIndexes, noTransaction, options));
    if (noTransaction) perStatement.push(...checkNoTransactionFile(statements));
    for (const { statement, rule, message } of perStatement) {
      const accepted = acceptedRules(statement);
      if (accepted.has(rule)) continue;
      findings.push({ file: file.path, line: statement.line, rule, message, fix: FIX[rule] });
    }
    for (const statement of statements) {
      for (const bad of invalidAcceptMarkers(statement)) {
        findings.push({
          file: file.path,
          line: bad.line,
          rule: 'accept-marker-invalid',
          message: `${RULES['accept-marker-invalid']}: "${bad.text.trim()}"`,
          fix: FIX['accept-marker-invalid'],
        });
      }
    }
  }
  return findings;
}

type Hit = { statement: SqlStatement; rule: RuleId; message: string };

function checkStatement(
  statement: SqlStatement,
  newTables: Set<string>,
  newIndexes: Set<string>,
  noTransaction: boolean,
  options: LintOptions,
): Hit[] {
  const sql = statement.normalized;
  const hits: Hit[] = [];
  const hit = (rule: RuleId, detail: string) => hits.push({ statement, rule, message: `${RULES[rule]}: ${detail}` });

  const created = new RegExp(String.raw`^create (?:unlogged )?table (?:if not exists )?${NAME}`).exec(sql);
  if (created) {
    newTables.add(bare(created[1]));
    return hits;
  }

  if (/\bconcurrently\b/.test(sql) && !noTransaction) hit('concurrently-in-transaction', firstWords(statement));

  const index = new RegExp(String.raw`^create (?:unique )?index (concurrently )?(?:if not exists )?(?:([\w$]+) )?on (?:only )?${NAME}`).exec(sql);
  if (index) {
    if (index[2] && newTables.has(bare(index[3]))) newIndexes.add(index[2]);
    if (!index[1] && !newTables.has(bare(index[3]))) hit('create-index-non-concurrent', `on ${bare(index[3])}`);
    return hits;
  }

  const dropIndex = /^drop index (concurrently )?(?:if exists )?(.+?)(?: cascade| restrict)?$/.exec(sql);
  if (dropIndex) {
    const names = dropIndex[2].split(',').map((n) => bare(n.trim())).filter((n) => !newIndexes.has(n));
    if (!dropIndex[1] && names.length > 0) hit('drop-index-non-concurrent', names.join(', '));
    return hits;
  }

  const wholeTable = new RegExp(String.raw`^(?:update (?:only )?${NAME}(?: as [\w$]+| [\w$]+)? set |delete from (?:only )?${NAME})`).exec(sql);
  if (wholeTable) {
    const table = bare(wholeTable[1] ?? wholeTable[2]);
    if (!newTables.has(table) && !/\bwhere\b/.test(sql)) hit('unbatched-update-delete', table);
    return hits;
  }

  if (/^do\b/.test(sql)) {
    const inner = new RegExp(String.raw`alter table (?:if exists )?(?:only )?${NAME} add (?:constraint [\w$]+ )?foreign key\b`, 'g');
    for (const match of sql.matchAll(inner)) {
      const table = bare(match[1]);
      const rest = sql.slice(match.index! + match[0].length);
      const notValid = /^[^;]*\bnot valid\b/.test(rest);
      if (!newTables.has(table) && !notValid) hit('foreign-key-in-do-block', `on ${table}`);
    }
    return hits;
  }

  const maintenance = /^(vacuum (?:\(.*\bfull\b.*\)|full\b)|reindex (?!.*\bconcurrently\b)|cluster\b|lock (?:table )?)/.exec(sql);
  if (maintenance) {
    hit('locking-maintenance', firstWords(statement));
    return hits;
  }

  const truncate = /^truncate (?:table )?(?:only )?(.+?)(?: restart identity| continue identity)?(?: cascade| restrict)?$/.exec(sql);
  if (truncate) {
    const names = truncate[1].split(',').map((n) => bare(n.trim())).filter((n) => !newTables.has(n));
    if (names.length > 0) hit('truncate', names.join(', '));
    return hits;
  }

  const dropTable = /^drop table (?:if exists )?(.+?)(?: cascade| restrict)?$/.exec(sql);
  if (dropTable) {
    for (const name of dropTable[1].split(',').map((n) => bare(n.trim()))) {
      if (newTables.has(name)) continue;
      const reads = readsOrUnknown(options, name);
      if (reads) hit('drop-table', `${name}${reads}`);
    }
    return hits;
  }

  const alter = ALTER_TABLE.exec(sql);
  if (!alter) return hits;
  const table = bare(alter[1]);
  const isNew = newTables.has(table);
  const action = alter[2];

  const renameTable = /^rename to ([\w$]+)$/.exec(action);
  if (renameTable) {
    if (isNew) newTables.add(renameTable[1]);
    else {
      const reads = readsOrUnknown(options, table);
      if (reads) hit('rename-table', `${table} to ${renameTable[1]}${reads}`);
    }
    return hits;
  }
  if (isNew) return hits;

  const renameColumn = /^rename (?:column )?([\w$]+) to ([\w$]+)$/.exec(action);
  if (renameColumn) {
    const reads = readsOrUnknown(options, table, renameColumn[1]);
    if (reads) hit('rename-column', `${table}.${renameColumn[1]} to ${renameColumn[2]}${reads}`);
    return hits;
  }

  // One ALTER TABLE may carry several comma-separated actions; commas inside parentheses are not separators.
  for (const part of splitTopLevel(action, ',')) {
    const addColumn = /^add (?:column )?(?:if not exists )?([\w$]+) (.*)$/.exec(part);
    if (addColumn && !/^(?:constraint|primary|unique|foreign|check|exclude)$/.test(addColumn[1])) {
      const [, column, definition] = addColumn;
      if (VOLATILE.test(definition)) hit('add-column-volatile-default', `${table}.${column}`);
      else if (/\bnot null\b/.test(definition) && !/\bdefault\b/.test(definition))
        hit('add-column-not-null-without-default', `${table}.${column}`);
      continue;
    }
    const dropColumn = /^drop (?:column )?(?:if exists )?([\w$]+)(?: cascade| restrict)?$/.exec(part);
    if (dropColumn && dropColumn[1] !== 'constraint') {
      const reads = readsOrUnknown(options, table, dropColumn[1]);
      if (reads) hit('drop-column', `${table}.${dropColumn[1]}${reads}`);
      continue;
    }
    const alterColumn = /^alter (?:column )?([\w$]+) (.*)$/.exec(part);
    if (alterColumn) {
      const [, column, change] = alterColumn;
      if (/^(?:set data )?type /.test(change)) hit('alter-column-type', `${table}.${column}`);
      else if (change === 'set not null') hit('set-not-null', `${table}.${column}`);
      continue;
    }
    const constraint = /^add (?:constraint [\w$]+ )?(foreign key|check|unique|primary key)\b(.*)$/.exec(part);
    if (constraint) {
      const [, kind, rest] = constraint;
      const notValid = /\bnot valid$/.test(rest);
      if (kind === 'foreign key' && !notValid) hit('foreign-key-without-not-valid', `on ${table}`);
      if (kind === 'check' && !notValid) hit('check-without-not-valid', `on ${table}`);
      if ((kind === 'unique' || kind === 'primary key') && !/\busing index\b/.test(rest))
        hit('add-unique-constraint', `on ${table}`);
    }
  }
  return hits;
}

function checkNoTransactionFile(statements: SqlStatement[]): Hit[] {
  const hits: Hit[] = [];
  const perChunk = new Map<number, number>();
  for (const statement of statements) {
    const count = (perChunk.get(statement.chunk) ?? 0) + 1;
    perChunk.set(statement.chunk, count);
    const concurrent = /\bconcurrently\b/.test(statement.normalized);
    if (!concurrent || count > 1) {
      const detail = concurrent ? 'two statements share one step' : `${firstWords(statement)} is not a CONCURRENTLY statement`;
      hits.push({ statement, rule: 'no-transaction-mixed', message: `${RULES['no-transaction-mixed']}: ${detail}` });
    }
  }
  return hits;
}

/** '' when the running release does not read it, otherwise the reason it is flagged. */
function readsOrUnknown(options: LintOptions, table: string, column?: string): string {
  if (options.runningSchema === undefined) return " (the running release's schema could not be read, so assume it does)";
  return schemaReads(options.runningSchema, table, column) ? " (the base branch's Drizzle schema still declares it)" : '';
}

const ACCEPT = new RegExp(String.raw`^${ACCEPT_MARKER}\s+([\w-]+)\s+\S`);

function acceptedRules(statement: SqlStatement): Set<string> {
  const rules = new Set<string>();
  for (const c of statement.comments) {
    const m = ACCEPT.exec(c.text.trim());
    if (m && m[1] in RULES) rules.add(m[1]);
  }
  return rules;
}

function invalidAcceptMarkers(statement: SqlStatement) {
  return statement.comments.filter((c) => {
    const text = c.text.trim();
    if (!text.startsWith(ACCEPT_MARKER)) return false;
    const m = ACCEPT.exec(text);
    return !m || !(m[1] in RULES);
  });
}

function bare(name: string): string {
  return name.replace(/^[\w$]+\./, '');
}

function firstWords(statement: SqlStatement): string {
  return statement.normalized.split(' ').slice(0, 4).join(' ');
}

function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === separator && depth === 0) {
      parts.push(current.trim());
      current = '';
    } else current += ch;
  }
  parts.push(current.trim());
  return parts;
}
