/** One SQL statement of a migration file, with what the lint needs to judge it and to point at it. */
export interface SqlStatement {
  /** 1-based line of the statement's first keyword. */
  line: number;
  /** The statement with comments removed, quotes around identifiers dropped, whitespace collapsed, lower-cased. */
  normalized: string;
  /** The statement as written (comments removed), for messages. */
  text: string;
  /** Comments between the previous statement and the end of this one, with their lines. */
  comments: { line: number; text: string }[];
  /** Index of the `--> statement-breakpoint` chunk the statement sits in. */
  chunk: number;
}

const BREAKPOINT = '--> statement-breakpoint';

/**
 * Splits SQL on top-level semicolons. Strings, quoted identifiers, dollar-quoted bodies and comments
 * are skipped over so a `;` inside them never ends a statement.
 */
export function splitStatements(sql: string): SqlStatement[] {
  const statements: SqlStatement[] = [];
  let code = '';
  let startLine = 0;
  let comments: SqlStatement['comments'] = [];
  let line = 1;
  let chunk = 0;
  let i = 0;

  const flush = () => {
    const text = code.trim();
    if (text) {
      statements.push({ line: startLine, normalized: normalize(text), text, comments, chunk });
      comments = [];
    }
    code = '';
    startLine = 0;
  };
  const take = (s: string) => {
    if (!startLine && s.trim()) startLine = line;
    code += s;
    line += countNewlines(s);
  };

  while (i < sql.length) {
    const rest = sql.slice(i);
    if (rest.startsWith('--')) {
      const end = sql.indexOf('\n', i);
      const comment = sql.slice(i, end === -1 ? sql.length : end);
      if (comment.startsWith(BREAKPOINT)) {
        flush();
        chunk++;
      } else {
        comments.push({ line, text: comment });
      }
      code += ' ';
      i += comment.length;
      continue;
    }
    if (rest.startsWith('/*')) {
      const end = sql.indexOf('*/', i + 2);
      const comment = sql.slice(i, end === -1 ? sql.length : end + 2);
      comments.push({ line, text: comment });
      line += countNewlines(comment);
      code += ' ';
      i += comment.length;
      continue;
    }
    const ch = sql[i];
    if (ch === "'" || ch === '"') {
      const end = closingQuote(sql, i, ch);
      take(sql.slice(i, end));
      i = end;
      continue;
    }
    const dollar = ch === '$' ? /^\$[A-Za-z_]*\$/.exec(rest) : null;
    if (dollar) {
      const close = sql.indexOf(dollar[0], i + dollar[0].length);
      const end = close === -1 ? sql.length : close + dollar[0].length;
      take(sql.slice(i, end));
      i = end;
      continue;
    }
    if (ch === ';') {
      flush();
      i++;
      continue;
    }
    take(ch);
    i++;
  }
  flush();
  return statements;
}

function closingQuote(sql: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < sql.length) {
    if (sql[i] === quote) {
      if (sql[i + 1] === quote) i += 2; // doubled quote is an escaped one
      else return i + 1;
    } else i++;
  }
  return sql.length;
}

function countNewlines(s: string): number {
  let n = 0;
  for (const c of s) if (c === '\n') n++;
  return n;
}

function normalize(text: string): string {
  return text.replace(/"([^"]*)"/g, '$1').replace(/\s+/g, ' ').trim().toLowerCase();
}
