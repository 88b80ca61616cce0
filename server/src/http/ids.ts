import { unstorableText } from './jsonGuard';
import { badRequest, notFound } from './errors';
import type { ResourceModel } from '../resources/model';

const INT4_MAX = 2147483647;

/**
 * A path id naming an integer key: 400 when it is not a whole number, 404 when no row can have it
 * (zero, or past the key's range: `max` is int4's unless the key is a bigint).
 */
export function parseRecordId(raw: unknown, max: number = INT4_MAX): number {
  const text = String(raw ?? '');
  if (!/^\d{1,16}$/.test(text)) throw badRequest(`Invalid id "${text.slice(0, 40)}": expected a whole number.`);
  const id = Number(text);
  if (!Number.isSafeInteger(id) || id > max || id < 1) throw notFound();
  return id;
}

/** A path id for a resource: its integer key as above, or a text key (uuid, slug) of storable text. */
export function parseModelId(model: ResourceModel, raw: string): string | number {
  if (model.id.kind === 'int') return parseRecordId(raw, model.id.column.columnType === 'PgBigInt53' ? Number.MAX_SAFE_INTEGER : INT4_MAX);
  if (!raw || raw.length > 200 || unstorableText(raw)) throw badRequest('Invalid id.');
  return raw;
}
