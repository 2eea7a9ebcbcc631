// The access report as CSV (RFC 4180): one line per specific piece of information.
// Cells that a spreadsheet would run as a formula are prefixed with a quote (CSV injection).
import { displayValue, type AccessReport } from './access-report';
import { CCPA_CATEGORIES, ccpaCategoryOf, type CcpaCategory } from './ccpa-categories';

export const REPORT_CSV_HEADER = ['system', 'dataset', 'collection', 'row', 'field', 'value', 'data_category', 'ccpa_category', 'ccpa_label'] as const;

export function csvCell(value: string): string {
  let v = value;
  if (/^[=+@\t\r]/u.test(v) || (/^-/u.test(v) && !/^-\d/u.test(v))) v = `'${v}`;
  return /[",\r\n]/u.test(v) ? `"${v.replace(/"/gu, '""')}"` : v;
}

export function reportCsv(report: AccessReport, categoryOf: (c: string) => CcpaCategory = ccpaCategoryOf): string {
  const out: string[] = [REPORT_CSV_HEADER.join(',')];
  for (const sys of report.systems) {
    for (const col of sys.collections) {
      const prefix = `${csvCell(sys.system)},${csvCell(col.dataset)},${csvCell(col.collection)},`;
      col.rows.forEach((row, i) => {
        for (const [field, value] of Object.entries(row.values)) {
          const fides = row.categories[field] ?? '';
          const letter = fides ? categoryOf(fides) : null;
          out.push(`${prefix}${i + 1},${csvCell(field)},${csvCell(displayValue(value))},${csvCell(fides)},${letter ?? ''},${letter ? csvCell(CCPA_CATEGORIES[letter]) : ''}`);
        }
      });
    }
  }
  return `${out.join('\r\n')}\r\n`;
}

/** Parse CSV produced above (and any RFC 4180 CSV): rows of cells. Used by tests and imports. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') { cell += '"'; i += 1; } else quoted = false;
      } else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(cell); cell = ''; }
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i += 1;
      row.push(cell); rows.push(row); row = []; cell = '';
    } else cell += ch;
  }
  if (quoted) throw new Error('CSV: unterminated quoted cell');
  if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
  return rows;
}
