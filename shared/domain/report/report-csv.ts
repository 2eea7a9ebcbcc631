// The access report as CSV (RFC 4180, UTF-8, CRLF): one line per specific piece of information, in
// the stable column order of REPORT_CSV_HEADER (docs/RESPONSES.md, "Portable copies"): the first
// nine columns are machine keys and the value as stored; `system_name`, `label` and `value_text`
// are the words the readable report uses. Columns are only ever appended, never reordered.
// Cells that a spreadsheet would run as a formula are prefixed with a quote (CSV injection).
import { displayValue, ccpaLabel, type AccessReport, type ReportField } from './access-report';
import { ccpaCategoryOf, type CcpaCategory } from './ccpa-categories';
import { formatValue } from './field-display';

export const REPORT_CSV_HEADER = ['system', 'dataset', 'collection', 'row', 'field', 'value', 'data_category', 'ccpa_category', 'ccpa_label', 'system_name', 'label', 'value_text', 'sold_to', 'shared_with', 'disclosed_for_business_purpose_to'] as const;

const NEEDS_QUOTES = /[",\r\n]/u;
export function csvCell(value: string): string {
  let v = value;
  const c0 = v.charCodeAt(0);
  // = + @ TAB CR start a formula in spreadsheets; "-" too unless a negative number.
  if (c0 === 61 || c0 === 43 || c0 === 64 || c0 === 9 || c0 === 13 || (c0 === 45 && !(v.charCodeAt(1) >= 48 && v.charCodeAt(1) <= 57))) v = `'${v}`;
  return NEEDS_QUOTES.test(v) ? `"${v.replace(/"/gu, '""')}"` : v;
}

export function reportCsv(report: AccessReport, categoryOf: (c: string) => CcpaCategory | null = ccpaCategoryOf): string {
  const out: string[] = [REPORT_CSV_HEADER.join(',')];
  const ctx = { locale: report.locale, timeZone: report.timeZone };
  const tail = new Map<string, string>(); // fides category -> its three category cells, computed once
  // Per CCPA letter, the three §1798.115 cells: recipients joined by "; ", "none" when declared so,
  // empty when not itemised (or not personal information).
  const transfer = new Map(report.disclosed.map((d) => [d.letter, [d.sold, d.shared, d.businessPurpose]
    .map((r) => csvCell(r.length ? r.join('; ') : d.itemised ? 'none' : '')).join(',')]));
  const transferOf = (fides: string, personal: boolean): string => {
    const letter = fides && personal ? categoryOf(fides) : null;
    return (letter && transfer.get(letter)) || ',,';
  };
  const tailOf = (fides: string, personal: boolean): string => {
    const key = `${personal ? 1 : 0}${fides}`;
    let t = tail.get(key);
    if (t === undefined) {
      const letter = fides && personal ? categoryOf(fides) : null;
      t = `${csvCell(fides)},${letter ?? ''},${letter ? csvCell(ccpaLabel(letter, report.locale)) : ''}`;
      tail.set(key, t);
    }
    return t;
  };
  for (const sys of report.systems) {
    for (const col of sys.collections) {
      const prefix = `${csvCell(sys.system)},${csvCell(col.dataset)},${csvCell(col.collection)},`;
      const sysName = csvCell(sys.displayName);
      const details = new Map<string, ReportField>(col.fieldDetails.map((f) => [f.field, f]));
      if (report.scope === 'categories') {
        // Categories only: one line per field of the collection, no row and no value.
        for (const field of col.fields) {
          const d = details.get(field);
          const fides = col.fieldCategories[field] ?? '';
          out.push(`${prefix},${csvCell(field)},,${tailOf(fides, !!d?.personal)},${sysName},${csvCell(d?.label ?? field)},,${transferOf(fides, !!d?.personal)}`);
        }
        continue;
      }
      const fieldCells = new Map<string, string>();
      col.rows.forEach((row, i) => {
        const rowPrefix = `${prefix}${i + 1},`;
        for (const field in row.values) {
          const d = details.get(field);
          let fc = fieldCells.get(field);
          if (fc === undefined) { fc = `${csvCell(field)},`; fieldCells.set(field, fc); }
          const v = row.values[field];
          const fides = row.categories[field] ?? '';
          out.push(`${rowPrefix}${fc}${csvCell(displayValue(v))},${tailOf(fides, !!d?.personal)},${sysName},${csvCell(d?.label ?? field)},${csvCell(formatValue(v, d?.info, ctx))},${transferOf(fides, !!d?.personal)}`);
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
