// The access report as one self-contained, readable HTML page (inline CSS, no scripts, no
// remote resources): every CCPA category A-L with whether it was collected, the sources,
// purposes and third parties per system, then the specific pieces grouped by system and collection.
import { displayValue, type AccessReport } from './access-report';

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/gu, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;'));
}

const STYLE = `
:root{--ink:#1d2433;--muted:#5b6475;--line:#d9dee7;--accent:#2457c5;--soft:#f3f6fb;--yes:#137a3a;--no:#8a93a3}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 -apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);background:#fff}
main{max-width:1040px;margin:0 auto;padding:32px 28px 64px}
header{border-bottom:3px solid var(--accent);padding-bottom:16px;margin-bottom:24px}
h1{font-size:26px;margin:0 0 4px}
h2{font-size:19px;margin:36px 0 10px;padding-bottom:6px;border-bottom:1px solid var(--line)}
h3{font-size:16px;margin:24px 0 8px}
h4{font-size:14px;margin:16px 0 6px;color:var(--muted);font-weight:600}
p{margin:6px 0}
.meta{color:var(--muted);font-size:14px}
.cards{display:flex;gap:12px;flex-wrap:wrap;margin:16px 0}
.card{flex:1 1 140px;background:var(--soft);border:1px solid var(--line);border-radius:8px;padding:10px 14px}
.card b{display:block;font-size:22px}
.card span{color:var(--muted);font-size:13px}
table{border-collapse:collapse;width:100%;margin:6px 0 14px;font-size:13.5px}
th,td{border:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top;overflow-wrap:anywhere}
th{background:var(--soft);font-weight:600;white-space:nowrap;overflow-wrap:normal}
td{white-space:pre-wrap}
td.letter{font-weight:700;width:44px;text-align:center}
.yes{color:var(--yes);font-weight:600}
.no{color:var(--no)}
.tag{display:inline-block;background:var(--soft);border:1px solid var(--line);border-radius:10px;padding:0 8px;margin:1px 3px 1px 0;font-size:12.5px}
.note{background:#fff8e1;border:1px solid #f0d58a;border-radius:6px;padding:8px 12px;margin:12px 0}
.scroll{overflow-x:auto}
footer{margin-top:40px;color:var(--muted);font-size:12.5px}
`;

function tags(items: string[], empty = 'None recorded'): string {
  return items.length ? items.map((i) => `<span class="tag">${escapeHtml(i)}</span>`).join('') : `<span class="no">${escapeHtml(empty)}</span>`;
}

export function reportHtml(report: AccessReport): string {
  const out: string[] = [];
  const p = (s: string) => { out.push(s); };
  p(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">`);
  p(`<title>Your personal information - ${escapeHtml(report.businessName)}</title><style>${STYLE}</style></head><body><main>`);
  p(`<header><h1>Your personal information held by ${escapeHtml(report.businessName)}</h1>`);
  p(`<p class="meta">Request reference <b>${escapeHtml(report.caseId)}</b>`);
  if (report.receivedAt) p(` &middot; received ${escapeHtml(report.receivedAt.slice(0, 10))}`);
  p(` &middot; report generated ${escapeHtml(report.generatedAt.slice(0, 10))}</p></header>`);
  p(report.scope === 'categories'
    ? `<p>This report answers your request to know what personal information we hold about you. It lists the categories of personal information, where we got it, why we use it, who we disclosed it to, and where we hold it.</p>`
    : `<p>This report answers your request to know what personal information we hold about you. It lists the categories of personal information, where we got it, why we use it, who we disclosed it to, and the specific pieces of information we found in each of our systems.</p>`);
  p(`<div class="cards"><div class="card"><b>${report.categories.filter((c) => c.collected).length}</b><span>categories of personal information</span></div>`);
  p(`<div class="card"><b>${report.totals.systems}</b><span>systems</span></div>`);
  p(`<div class="card"><b>${report.totals.rows}</b><span>records</span></div>`);
  p(`<div class="card"><b>${report.totals.values}</b><span>pieces of information</span></div></div>`);
  if (report.withheldShared > 0) {
    p(`<p class="note">${report.withheldShared} record(s) also concern another person and are not included, to protect that person's privacy. Contact us if you need more information about them.</p>`);
  }
  if (report.withheldPieces.length) {
    const kinds = [...new Set(report.withheldPieces.map((w) => w.label))];
    p(`<p class="note">We hold ${kinds.map(escapeHtml).join('; ')} about you (${report.withheldPieces.map((w) => escapeHtml(`${w.collection}.${w.field}`)).join(', ')}). The law does not let us send ${kinds.length > 1 ? 'these' : 'it'} in a report, so that a lost or stolen report cannot be used to take over your identity or accounts; ${kinds.length > 1 ? 'they are' : 'it is'} listed under ${kinds.length > 1 ? 'their categories' : 'its category'} below.</p>`);
  }
  if (report.unavailableSystems.length) {
    p(`<p class="note">${report.unavailableSystems.length} system(s) could not be searched when this report was generated (${report.unavailableSystems.map((s) => escapeHtml(s.system)).join(', ')}); we will send an update.</p>`);
  }

  p(`<h2>Categories of personal information</h2><div class="scroll"><table><thead><tr><th>Cat.</th><th>Category</th><th>Collected</th><th>Data</th></tr></thead><tbody>`);
  for (const c of report.categories) {
    p(`<tr><td class="letter">${c.letter}</td><td>${escapeHtml(c.label)}</td>`);
    p(c.collected ? `<td class="yes">Yes</td><td>${tags(c.fields.slice(0, 12))}${c.fields.length > 12 ? ` <span class="meta">+${c.fields.length - 12} more</span>` : ''}</td></tr>`
      : `<td class="no">No</td><td class="no">Not collected</td></tr>`);
  }
  p(`</tbody></table></div>`);

  p(`<h2>Sources, purposes and third parties</h2>`);
  if (!report.systems.length) p(`<p>We found no personal information about you in our systems.</p>`);
  else {
    p(`<div class="scroll"><table><thead><tr><th>System</th><th>Categories</th><th>Sources</th><th>Business purposes</th><th>Disclosed to</th></tr></thead><tbody>`);
    for (const s of report.systems) {
      p(`<tr><td><b>${escapeHtml(s.system)}</b></td><td>${tags(s.categories)}</td><td>${tags(s.sources)}</td><td>${tags(s.purposes)}</td><td>${tags(s.thirdParties, 'Not disclosed')}</td></tr>`);
    }
    p(`</tbody></table></div>`);
  }

  if (report.scope === 'categories') {
    p(`<h2>Where we hold it</h2>`);
    p(`<p class="note">This report lists the categories of personal information we hold about you and where. To receive the specific pieces of information, we must first verify your identity to a higher degree (3 matching data points and a signed declaration, CCPA regulations §7062). Contact us (the details are in our privacy notice) if you want them.</p>`);
    p(`<div class="scroll"><table><thead><tr><th>System</th><th>Collection</th><th>Records</th><th>Fields</th></tr></thead><tbody>`);
    for (const s of report.systems) {
      for (const col of s.collections) {
        p(`<tr><td>${escapeHtml(s.system)}</td><td>${escapeHtml(col.dataset)} &rsaquo; ${escapeHtml(col.collection)}</td><td>${col.rowCount}</td><td>${tags(col.fields)}</td></tr>`);
      }
    }
    p(`</tbody></table></div>`);
  } else {
    p(`<h2>Specific pieces of information</h2>`);
    for (const s of report.systems) {
      p(`<h3>${escapeHtml(s.system)}</h3>`);
      for (const col of s.collections) {
        p(`<h4>${escapeHtml(col.dataset)} &rsaquo; ${escapeHtml(col.collection)} (${col.rows.length} record${col.rows.length === 1 ? '' : 's'})</h4><div class="scroll"><table><thead><tr>`);
        for (const f of col.fields) p(`<th>${escapeHtml(f)}</th>`);
        p(`</tr></thead><tbody>`);
        for (const row of col.rows) {
          p('<tr>');
          for (const f of col.fields) p(`<td>${escapeHtml(displayValue(row.values[f]))}</td>`);
          p('</tr>');
        }
        p(`</tbody></table></div>`);
      }
    }
  }
  p(`<footer>Machine-readable copies of this report are provided as JSON and CSV. Request ${escapeHtml(report.caseId)}.</footer></main></body></html>`);
  return out.join('');
}
