const TABLE_CALL = /\b(?:pgTable|table)\s*\(\s*(['"`])([^'"`]+)\1/g;

/**
 * Whether Drizzle schema source still declares a table (or a column of it), i.e. whether code built
 * from it reads that table or column. Column helpers shared between tables (`createdAt()` in a
 * columns file) live outside any table call, so that text counts for every table.
 */
export function schemaReads(source: string, table: string, column?: string): boolean {
  // Comments go first: an apostrophe in "don't" would otherwise open a string for the paren matcher.
  const schemaSource = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|\s)\/\/.*$/gm, '$1');
  const blocks = tableBlocks(schemaSource);
  const own = blocks.filter((b) => b.table === table);
  if (own.length === 0) return false;
  if (column === undefined) return true;
  let shared = schemaSource;
  for (const b of [...blocks].sort((a, b) => b.start - a.start)) shared = shared.slice(0, b.start) + shared.slice(b.end);
  const literal = new RegExp(String.raw`(['"\x60])${escape(column)}\1`);
  return own.some((b) => literal.test(schemaSource.slice(b.start, b.end))) || literal.test(shared);
}

function tableBlocks(source: string): { table: string; start: number; end: number }[] {
  const blocks: { table: string; start: number; end: number }[] = [];
  for (const m of source.matchAll(TABLE_CALL)) {
    const open = source.indexOf('(', m.index);
    blocks.push({ table: m[2], start: m.index, end: closingParen(source, open) });
  }
  return blocks;
}

function closingParen(source: string, open: number): number {
  let depth = 0;
  for (let i = open; i < source.length; i++) {
    const ch = source[i];
    if (ch === "'" || ch === '"' || ch === '`') {
      const close = source.indexOf(ch, i + 1);
      if (close === -1) return source.length;
      i = close;
    } else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return i + 1;
  }
  return source.length;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
