// Rewrites `?` placeholders to PostgreSQL's `$1, $2, ...`, leaving alone every `?` inside string
// literals ('...', E'...'), quoted identifiers ("..."), dollar-quoted bodies ($tag$...$tag$) and
// comments (-- ... and /* ... */). Pure string code, cached by the caller.

/** Returns the rewritten SQL and how many placeholders it holds. */
export function toPositional(sql: string): { text: string; count: number } {
  let out = '';
  let n = 0;
  let i = 0;
  const len = sql.length;
  while (i < len) {
    const ch = sql[i]!;
    const next = sql[i + 1];
    if (ch === '?') {
      n += 1;
      out += `$${n}`;
      i += 1;
      continue;
    }
    if (ch === '\'' ) {
      // E'...' strings allow backslash escapes; plain strings only '' doubling.
      const backslash = i > 0 && (sql[i - 1] === 'E' || sql[i - 1] === 'e') && !/[A-Za-z0-9_]/u.test(sql[i - 2] ?? ' ');
      let j = i + 1;
      while (j < len) {
        if (backslash && sql[j] === '\\') { j += 2; continue; }
        if (sql[j] === '\'') {
          if (sql[j + 1] === '\'') { j += 2; continue; }
          break;
        }
        j += 1;
      }
      out += sql.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (ch === '"') {
      let j = i + 1;
      while (j < len) {
        if (sql[j] === '"') {
          if (sql[j + 1] === '"') { j += 2; continue; }
          break;
        }
        j += 1;
      }
      out += sql.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (ch === '-' && next === '-') {
      const end = sql.indexOf('\n', i);
      const j = end === -1 ? len : end;
      out += sql.slice(i, j);
      i = j;
      continue;
    }
    if (ch === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2);
      const j = end === -1 ? len : end + 2;
      out += sql.slice(i, j);
      i = j;
      continue;
    }
    if (ch === '$') {
      const m = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/u.exec(sql.slice(i));
      if (m && !/[A-Za-z0-9_]/u.test(sql[i - 1] ?? ' ')) {
        const tag = m[0];
        const end = sql.indexOf(tag, i + tag.length);
        const j = end === -1 ? len : end + tag.length;
        out += sql.slice(i, j);
        i = j;
        continue;
      }
    }
    out += ch;
    i += 1;
  }
  return { text: out, count: n };
}
