import { describe, expect, test } from 'vitest';
import { readableRows, toCsv } from '../src/common/csv';

const parseLine = (line: string) => [...line.matchAll(/"((?:[^"]|"")*)"/g)].map((m) => m[1]!.replace(/""/g, '"'));

describe('CSV exports', () => {
  test('a cell a spreadsheet would run as a formula is written as text', () => {
    const hostile = ['=HYPERLINK("http://x.test","click")', '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1'];
    const csv = toCsv(hostile.map((name, id) => ({ id, name })));
    const names = csv.split('\r\n').slice(1).map((l) => parseLine(l)[1]);
    // The \r case spans a line break inside its quoted cell, so compare on the cells that open a line.
    expect(names.slice(0, 5)).toEqual(hostile.slice(0, 5).map((v) => `'${v}`));
    expect(csv).toContain(`"'\r=1"`);
    // Ordinary values, negative-looking ids in other columns and JSON stay as they were.
    expect(toCsv([{ name: 'Ada = Grace', before: { role: 'member' } }])).toBe('"name","before"\r\n"Ada = Grace","{""role"":""member""}"');
  });

  test('the audit log export keeps before and after as two JSON columns, guarded like any cell', () => {
    const csv = toCsv([{ action: 'user_update', before: { name: '=cmd' }, after: '=cmd|x' }]);
    expect(parseLine(csv.split('\r\n')[1]!)).toEqual(['user_update', '{"name":"=cmd"}', "'=cmd|x"]);
  });

  test('exported rows show money in currency units and the user email beside user_id', async () => {
    const records = [
      { id: 1, user_id: 7, amount: 1999, currency: 'usd' },
      { id: 2, user_id: 8, amount: 500, currency: 'eur' },
      { id: 3, user_id: null, amount: 0, currency: 'usd' },
    ];
    const fetched: string[] = [];
    const fetchRelated = async (_records: unknown[], field: string, resource: string) => {
      fetched.push(`${field}->${resource}`);
      return { 7: { id: 7, email: 'ada@example.com' }, 8: { id: 8, email: 'grace@example.com' } };
    };
    const rows = await readableRows(records, fetchRelated as never, ['amount']);
    expect(fetched).toEqual(['user_id->users']);
    expect(rows).toEqual([
      { id: 1, user_id: 7, user_email: 'ada@example.com', amount: '19.99', currency: 'usd' },
      { id: 2, user_id: 8, user_email: 'grace@example.com', amount: '5.00', currency: 'eur' },
      { id: 3, user_id: null, user_email: '', amount: '0.00', currency: 'usd' },
    ]);
    expect(toCsv(rows).split('\r\n')[0]).toBe('"id","user_id","user_email","amount","currency"');
  });
});
