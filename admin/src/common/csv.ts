import { downloadCSV, type Exporter, type FetchRelatedRecords, type RaRecord } from 'react-admin';

/**
 * A spreadsheet runs a cell that starts with = + - @ (or a tab / carriage return before one) as a
 * formula: a user's name like `=HYPERLINK(...)` would execute on the operator's machine. OWASP's
 * guard: such cells get a leading apostrophe, which spreadsheets show as plain text.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
export const defuse = (text: string) => (FORMULA_START.test(text) ? `'${text}` : text);

// RFC 4180: every field quoted, quotes doubled, so JSON with commas and newlines stays in its cell.
const cell = (v: unknown) => `"${defuse(v == null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v)).replace(/"/g, '""')}"`;

/** Rows to CSV; the header is the union of the rows' keys, in first-seen order. */
export function toCsv(rows: Record<string, unknown>[]): string {
  if (!rows.length) return '';
  const header = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return [header.map(cell).join(','), ...rows.map((r) => header.map((k) => cell(r[k])).join(','))].join('\r\n');
}

/** Minor units to a plain decimal in major units ("12.34"): readable, and still sums in a spreadsheet. */
export const majorUnits = (cents: unknown) => (typeof cents === 'number' ? (cents / 100).toFixed(2) : cents);

/**
 * The rows an export writes: money columns in currency units rather than cents, and the user's
 * email next to every `*user_id` column, so a sheet reads without looking ids up.
 */
export async function readableRows(records: RaRecord[], fetchRelated: FetchRelatedRecords, money: readonly string[] = []): Promise<Record<string, unknown>[]> {
  const userColumns = records.length ? Object.keys(records[0]!).filter((k) => k === 'user_id' || k.endsWith('_user_id') || k === 'actor_id') : [];
  const emails = new Map<string, Record<string, RaRecord>>();
  for (const column of userColumns) emails.set(column, (await fetchRelated(records, column, 'users')) as Record<string, RaRecord>);
  return records.map((record) => {
    const row: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(record)) {
      row[key] = money.includes(key) ? majorUnits(value) : value;
      const users = emails.get(key);
      if (users) row[`${key.replace(/_id$/, '')}_email`] = value == null ? '' : (users[String(value)]?.email ?? '');
    }
    return row;
  });
}

/** The default export of every list: readable rows, guarded cells, named after the resource. */
export const readableExporter =
  (money: readonly string[] = []): Exporter =>
  async (records, fetchRelated, _dataProvider, resource) => {
    downloadCSV(toCsv(await readableRows(records, fetchRelated, money)), resource ?? 'export');
  };
