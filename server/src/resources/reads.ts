import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import type { UseCaseActor } from '../usecases';
import { NotFoundError } from '../usecases/domainErrors';
import type { Row } from '../usecases/records';
import { MAX_PAGE, type ListQuery } from './listQuery';
import type { ResourceModel } from './model';
import { boundedCount, countRows, totalFromBoundedCount, totalWithoutCounting, type Total } from './totals';

/** What the generic reads need: the read pool, whether it may prepare statements, the count limit. */
export interface ReadDeps {
  readDb: Db;
  canPrepare: boolean;
  exactCountLimit: number;
}

/**
 * One page of a resource and the total it belongs to (exact, or an estimate past the count limit).
 * When the matches must be counted, the bounded count rides in the page's own statement (an
 * uncorrelated scalar subquery: Postgres runs it once, as an InitPlan), so a filtered page costs
 * one round trip and one pooled connection, not two.
 */
export async function listRecords(deps: ReadDeps, _actor: UseCaseActor, input: { model: ResourceModel; query: ListQuery }): Promise<{ rows: Row[]; total: Total }> {
  const { model, query: q } = input;
  const { readDb: db, exactCountLimit: limit } = deps;
  const page = (selection: NonNullable<Parameters<Db['select']>[0]>): Promise<unknown[]> =>
    db.select(selection).from(model.config.table).where(q.where).orderBy(...q.orderBy).offset(q.offset).limit(q.limit ?? MAX_PAGE);
  const known = await totalWithoutCounting(db, model, q.where, limit);
  if (known) return { rows: (await page(model.selection)) as Row[], total: known };
  const counted = (await page({ row: model.selection, total: boundedCount(model, q.where, limit) })) as { row: Row; total: number }[];
  const rows = counted.map((r) => r.row);
  // No row, no total: past the last page the matches are counted on their own; on the first page none match.
  const n = counted.length ? counted[0]!.total : q.offset === 0 ? 0 : undefined;
  if (n === undefined) return { rows, total: await countRows(db, model, q.where, limit) };
  return { rows, total: await totalFromBoundedCount(db, model, q.where, limit, n) };
}

type Prepared = { execute(params: { id: string | number }): Promise<Row[]> };
const prepared = new WeakMap<Db, Map<string, Prepared>>();

// The console's most frequent single-row read: its SQL is built once per resource, and where no
// transaction pooler sits in between, Postgres parses and plans it once per connection.
function getOneQuery(deps: ReadDeps, model: ResourceModel): Prepared {
  let byModel = prepared.get(deps.readDb);
  if (!byModel) prepared.set(deps.readDb, (byModel = new Map()));
  let query = byModel.get(model.name);
  if (!query) {
    query = deps.readDb.select(model.selection).from(model.config.table).where(eq(model.id.column, sql.placeholder('id'))).limit(1).prepare(`opsroom_get_${model.tableName}`);
    byModel.set(model.name, query);
  }
  return query;
}

/** One record as the API shows it; NotFoundError when there is none with this id. */
export async function getRecord(deps: ReadDeps, _actor: UseCaseActor, input: { model: ResourceModel; id: string | number }): Promise<Row> {
  const { model, id } = input;
  const [row] = deps.canPrepare
    ? await getOneQuery(deps, model).execute({ id })
    : await deps.readDb.select(model.selection).from(model.config.table).where(eq(model.id.column, id)).limit(1);
  if (!row) throw new NotFoundError(`${model.name} ${id} does not exist.`);
  return row;
}
