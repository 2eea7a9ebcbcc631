// The access report as one self-contained, readable HTML page (inline CSS, no scripts, no remote
// resources), in the consumer's language: "What we hold about you" per system (under its display
// name: categories, where we got it, why we use it, who we disclosed it to, then each record as a
// two-column table of plain-language labels and formatted values), then every CCPA category A-L
// and whether we hold it, then per category held whether it was sold, shared or disclosed for a
// business purpose and to which categories of recipients (§1798.115). Accessible (one h1, nested headings, captions, th scope, AA contrast) and
// printable as one clean document (@media print). The consumer's copy never shows a field name;
// the staff copy (`audience: 'staff'`) shows `collection.field` beside each label on screen and
// prints as the consumer's copy (staff print the preview to post it: the names are screen-only).
import type { AccessReport, ReportField, ReportSystem } from './access-report';
import { formatValue, type ValueContext } from './field-display';
import { reportWords, WITHHELD_KINDS_ES, type ReportWords } from './report-words';

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/gu, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;'));
}

export interface ReportHtmlOptions {
  /** consumer (default): labels only; staff: `collection.field` beside each label. */
  audience?: 'consumer' | 'staff';
}

const STYLE = `
:root{--ink:#1d2433;--muted:#4f5869;--line:#c9d0dc;--accent:#2457c5;--soft:#f3f6fb;--yes:#126b34}
*{box-sizing:border-box}
body{margin:0;font:16px/1.55 -apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);background:#fff}
main{max-width:960px;margin:0 auto;padding:32px 28px 64px}
header{border-bottom:3px solid var(--accent);padding-bottom:14px;margin-bottom:22px}
h1{font-size:27px;line-height:1.25;margin:0 0 6px}
h2{font-size:21px;margin:38px 0 12px;padding-bottom:6px;border-bottom:1px solid var(--line)}
h3{font-size:18px;margin:28px 0 8px;color:var(--accent)}
h4{font-size:16px;margin:20px 0 6px}
p{margin:6px 0}
.meta{color:var(--muted);font-size:14px}
.cards{display:flex;gap:12px;flex-wrap:wrap;margin:18px 0;padding:0;list-style:none}
.cards li{flex:1 1 150px;background:var(--soft);border:1px solid var(--line);border-radius:8px;padding:10px 14px}
.cards b{display:block;font-size:24px}
.cards span{color:var(--muted);font-size:14px}
dl.facts{display:grid;grid-template-columns:minmax(140px,220px) 1fr;gap:6px 16px;margin:8px 0 14px;padding:12px 14px;background:var(--soft);border:1px solid var(--line);border-radius:8px}
dl.facts dt{font-weight:600}
dl.facts dd{margin:0}
table{border-collapse:collapse;width:100%;margin:6px 0 14px;font-size:15px}
caption{text-align:left;font-size:14px;color:var(--muted);padding:2px 0 4px}
th,td{border:1px solid var(--line);padding:6px 10px;text-align:left;vertical-align:top;overflow-wrap:anywhere}
thead th{background:var(--soft);font-weight:600}
th.nowrap{white-space:nowrap}
tbody th{font-weight:600;width:34%;background:#fafbfd}
td{white-space:pre-wrap}
td .long{max-width:68ch}
td.letter{font-weight:700;width:48px;text-align:center}
code{font:12.5px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;color:var(--muted);background:var(--soft);border-radius:4px;padding:0 4px;margin-left:6px;font-weight:400}
.yes{color:var(--yes);font-weight:600}
.no{color:var(--muted)}
.tag{display:inline-block;background:var(--soft);border:1px solid var(--line);border-radius:10px;padding:0 8px;margin:1px 4px 1px 0;font-size:14px}
.note{background:#fff8e1;border:1px solid #c9a53a;border-radius:6px;padding:8px 12px;margin:12px 0}
.staff{background:#eef3ff;border-color:#8aa6e0}
.scroll{overflow-x:auto}
footer{margin-top:40px;color:var(--muted);font-size:14px}
@page{margin:14mm 14mm 16mm}
@media print{
  body{font-size:11pt}
  main{max-width:none;padding:0}
  .scroll{overflow:visible}
  h2,h3,h4{break-after:avoid}
  table.record,dl.facts,.cards li,tr{break-inside:avoid}
  .cards li,dl.facts,thead th,tbody th,.tag,code{background:none}
  .note{background:none}
  header{border-bottom-width:2px}
  .staff-only{display:none}
}
`;

function tags(items: string[], empty: string): string {
  return items.length ? items.map((i) => `<span class="tag">${escapeHtml(i)}</span>`).join('') : `<span class="no">${escapeHtml(empty)}</span>`;
}

function day(iso: string, ctx: ValueContext): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso.slice(0, 10);
  return new Intl.DateTimeFormat(ctx.locale === 'es' ? 'es-ES' : 'en-US', { dateStyle: 'long', timeZone: ctx.timeZone }).format(d);
}

function facts(s: ReportSystem, w: ReportWords, report: AccessReport): string {
  const cats = s.categories.map((l) => `${l} · ${report.categories.find((c) => c.letter === l)?.label ?? l}`);
  const recipients = s.thirdParties.length ? tags(s.thirdParties, '') : `<span>${escapeHtml(s.declared ? w.noRecipients : w.notDeclared)}</span>`;
  return `<dl class="facts"><dt>${escapeHtml(w.categoriesOf)}</dt><dd>${tags(cats, '-')}</dd>`
    + `<dt>${escapeHtml(w.sources)}</dt><dd>${tags(s.sources, w.notDeclared)}</dd>`
    + `<dt>${escapeHtml(w.purposes)}</dt><dd>${tags(s.purposes, w.notDeclared)}</dd>`
    + `<dt>${escapeHtml(w.recipients)}</dt><dd>${recipients}</dd></dl>`;
}

export function reportHtml(report: AccessReport, options: ReportHtmlOptions = {}): string {
  const staff = options.audience === 'staff';
  const w = reportWords(report.locale);
  const ctx: ValueContext = { locale: report.locale, timeZone: report.timeZone };
  const out: string[] = [];
  const p = (s: string) => { out.push(s); };
  const labelCell = (col: string, f: ReportField) => `${escapeHtml(f.label)}${staff ? `<code class="staff-only">${escapeHtml(`${col}.${f.field}`)}</code>` : ''}`;
  const withheld = new Set(report.withheldPieces.map((x) => `${x.system}\u0000${x.collection}\u0000${x.field}`));

  p(`<!doctype html><html lang="${report.locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">`);
  p(`<title>${escapeHtml(w.title(report.businessName))}</title><style>${STYLE}</style></head><body><main>`);
  p(`<header><h1>${escapeHtml(w.heading(report.businessName))}</h1>`);
  p(`<p class="meta">${escapeHtml(w.reference)} <b>${escapeHtml(report.caseId)}</b>`);
  if (report.receivedAt) p(` &middot; ${escapeHtml(w.received)} ${escapeHtml(day(report.receivedAt, ctx))}`);
  p(` &middot; ${escapeHtml(w.generated)} ${escapeHtml(day(report.generatedAt, ctx))}</p>`);
  p(`<p class="meta">${escapeHtml(w.timesIn(report.timeZone))}</p></header>`);
  if (staff) p(`<p class="note staff staff-only">${escapeHtml(w.staffNote)}</p>`);
  if (staff && report.review.length) {
    p(`<div class="note staff staff-only" role="note"><p><b>Staff review needed before this report can be sent:</b></p><ul>${report.review.map((r) => `<li>${escapeHtml(r.message)}</li>`).join('')}</ul></div>`);
  }
  p(`<p>${escapeHtml(report.scope === 'categories' ? w.introCategories : w.introPieces)}</p>`);
  p(`<ul class="cards"><li><b>${report.categories.filter((c) => c.collected).length}</b><span>${escapeHtml(w.cardCategories)}</span></li>`);
  p(`<li><b>${report.totals.systems}</b><span>${escapeHtml(w.cardSystems)}</span></li>`);
  p(`<li><b>${report.totals.rows}</b><span>${escapeHtml(w.cardRecords)}</span></li>`);
  p(`<li><b>${report.totals.values}</b><span>${escapeHtml(w.cardPieces)}</span></li></ul>`);
  if (report.withheldShared > 0) p(`<p class="note" role="note">${escapeHtml(w.sharedNote(report.withheldShared))}</p>`);
  if (report.withheldPieces.length) {
    const kinds = [...new Set(report.withheldPieces.map((x) => (report.locale === 'es' ? WITHHELD_KINDS_ES[x.kind] ?? x.label : x.label)))];
    const where = report.withheldPieces.map((x) => {
      const f = report.systems.find((s) => s.system === x.system)?.collections.find((c) => c.collection === x.collection)?.fieldDetails.find((d) => d.field === x.field);
      return f ? labelCell(x.collection, f) : escapeHtml(x.field);
    });
    p(`<p class="note" role="note">${escapeHtml(w.withheldIntro)} ${kinds.map(escapeHtml).join('; ')} (${where.join(', ')}). ${escapeHtml(w.withheldTail(kinds.length > 1))}</p>`);
  }
  if (report.unavailableSystems.length) {
    p(`<p class="note" role="note">${escapeHtml(w.unavailable(report.unavailableSystems.length, report.unavailableSystems.map((s) => s.system).join(', ')))}</p>`);
  }

  p(`<h2>${escapeHtml(w.whatWeHold)}</h2>`);
  if (!report.systems.length) p(`<p>${escapeHtml(w.nothingFound)}</p>`);
  if (report.scope === 'categories' && report.systems.length) p(`<p class="note" role="note">${escapeHtml(w.categoriesOnlyNote)}</p>`);
  for (const s of report.systems) {
    p(`<section><h3>${escapeHtml(s.displayName)}${staff && s.displayName !== s.system ? `<code class="staff-only">${escapeHtml(s.system)}</code>` : ''}</h3>`);
    p(facts(s, w, report));
    for (const col of s.collections) {
      p(`<h4>${escapeHtml(col.label)}${staff ? `<code class="staff-only">${escapeHtml(`${col.dataset}.${col.collection}`)}</code>` : ''} <span class="meta">(${escapeHtml(w.records(col.rowCount))})</span></h4>`);
      if (report.scope === 'categories') {
        p(`<div class="scroll"><table><thead><tr><th scope="col">${escapeHtml(w.colInformation)}</th><th scope="col">${escapeHtml(w.colCategory)}</th></tr></thead><tbody>`);
        for (const f of staff ? col.fieldDetails : col.fieldDetails.filter((x) => x.personal || !x.info?.key)) {
          const cat = f.personal && f.ccpa ? `${f.ccpa} · ${report.categories.find((c) => c.letter === f.ccpa)?.label ?? ''}` : w.recordDetails;
          p(`<tr><th scope="row">${labelCell(col.collection, f)}</th><td>${escapeHtml(cat)}</td></tr>`);
        }
        p(`</tbody></table></div>`);
        continue;
      }
      // Internal keys (a primary or join key with no personal category: order id, card id) are the
      // store's bookkeeping, not information about the person: the staff copy shows them, the consumer's does not.
      const details = staff ? col.fieldDetails : col.fieldDetails.filter((f) => f.personal || !f.info?.key);
      col.rows.forEach((row, i) => {
        p(`<table class="record"><caption>${escapeHtml(w.record(i + 1, col.rows.length))}</caption><thead><tr><th scope="col">${escapeHtml(w.colInformation)}</th><th scope="col">${escapeHtml(w.colValue)}</th></tr></thead><tbody>`);
        for (const f of details) {
          const v = row.values[f.field];
          if (v === null || v === undefined || v === '') continue;
          const text = withheld.has(`${s.system}\u0000${col.collection}\u0000${f.field}`) && typeof v === 'string' && v.startsWith('[not shown') ? w.withheldValue : formatValue(v, f.info, ctx);
          const cell = text.length > 280 ? `<div class="long">${escapeHtml(text)}</div>` : escapeHtml(text);
          p(`<tr><th scope="row">${labelCell(col.collection, f)}</th><td>${cell}</td></tr>`);
        }
        p(`</tbody></table>`);
      });
    }
    p(`</section>`);
  }

  p(`<h2>${escapeHtml(w.categoriesHeading)}</h2><div class="scroll"><table><caption>${escapeHtml(w.categoriesCaption)}</caption><thead><tr><th scope="col" class="nowrap">${escapeHtml(w.colLetter)}</th><th scope="col">${escapeHtml(w.colCategory)}</th><th scope="col" class="nowrap">${escapeHtml(w.colCollected)}</th><th scope="col">${escapeHtml(w.colWhat)}</th></tr></thead><tbody>`);
  for (const c of report.categories) {
    p(`<tr><td class="letter">${c.letter}</td><td>${escapeHtml(c.label)}</td>`);
    p(c.collected ? `<td class="yes">${escapeHtml(w.yes)}</td><td>${tags(c.items.slice(0, 16), '')}${c.items.length > 16 ? ` <span class="meta">+${c.items.length - 16}</span>` : ''}</td></tr>`
      : `<td class="no">${escapeHtml(w.no)}</td><td class="no">${escapeHtml(w.notCollected)}</td></tr>`);
  }
  p(`</tbody></table></div>`);
  if (report.disclosed.length) {
    // §1798.115: per collected category, sold / shared / disclosed for a business purpose, and to whom.
    const cell = (recipients: string[], none: string, d: AccessReport['disclosed'][number]) => (recipients.length ? `<td>${tags(recipients, '')}</td>`
      : d.itemised ? `<td class="no">${escapeHtml(none)}</td>` : `<td>${escapeHtml(w.notItemised(d.unitemisedRecipients.join(', ')))}</td>`);
    p(`<h2>${escapeHtml(w.disclosedHeading)}</h2><div class="scroll"><table class="disclosed"><caption>${escapeHtml(w.disclosedCaption)}</caption><thead><tr><th scope="col" class="nowrap">${escapeHtml(w.colLetter)}</th><th scope="col">${escapeHtml(w.colCategory)}</th><th scope="col">${escapeHtml(w.colSold)}</th><th scope="col">${escapeHtml(w.colShared)}</th><th scope="col">${escapeHtml(w.colBusinessPurpose)}</th></tr></thead><tbody>`);
    for (const d of report.disclosed) {
      p(`<tr><td class="letter">${d.letter}</td><th scope="row">${escapeHtml(d.label)}</th>${cell(d.sold, w.notSold, d)}${cell(d.shared, w.notShared, d)}${cell(d.businessPurpose, w.notDisclosed, d)}</tr>`);
    }
    p(`</tbody></table></div>`);
  }
  p(`<footer>${escapeHtml(w.footer(report.caseId))}</footer></main></body></html>`);
  return out.join('');
}

/**
 * "What we hold about you" for the email body: one line per system (its display name, the CCPA
 * categories and the record count), plain text and HTML (escaped; headings and a list for screen readers).
 */
export function reportEmailSummary(report: AccessReport): { text: string; html: string } {
  const w = reportWords(report.locale);
  if (!report.systems.length) return { text: w.nothingFound, html: `<p>${escapeHtml(w.nothingFound)}</p>` };
  const lines = report.systems.map((s) => ({
    name: s.displayName,
    what: s.categories.map((l) => report.categories.find((c) => c.letter === l)?.label ?? l).join(', '),
    records: w.records(s.rowCount),
  }));
  return {
    text: `${w.whatWeHold}:\n${lines.map((l) => `- ${l.name}: ${l.what} (${l.records})`).join('\n')}`,
    html: `<h2 style="font-size:17px;margin:18px 0 6px">${escapeHtml(w.whatWeHold)}</h2><ul style="margin:0 0 12px;padding-left:20px">${lines.map((l) => `<li><b>${escapeHtml(l.name)}</b>: ${escapeHtml(l.what)} <span style="color:#4f5869">(${escapeHtml(l.records)})</span></li>`).join('')}</ul>`,
  };
}
