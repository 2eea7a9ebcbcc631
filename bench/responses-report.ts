// Access report build time and size for one subject with many rows (default 10k rows across 10
// collections; scale with BENCH_ROWS / BENCH_COLLECTIONS / BENCH_RUNS), against a naive builder
// (a scan of every row per CCPA category, HTML by += with chained replace escaping, CSV by
// JSON.stringify per cell). Also: the raw MIME message with the three attachments.
import { performance } from 'node:perf_hooks';
import { buildAccessReport, ccpaCategoryOf, CCPA_CATEGORIES, CCPA_LETTERS, reportCsv, reportHtml, reportJson, displayValue } from '../shared/domain/report';
import type { DiscoveryResult } from '../shared/domain/discovery';
import { composeMime } from '../shared/channels/email/message';
import { generatedDiscovery } from '../test/support/responses-discovery';

const ROWS = Number(process.env.BENCH_ROWS ?? 10_000);
const COLLECTIONS = Number(process.env.BENCH_COLLECTIONS ?? 10);
const RUNS = Number(process.env.BENCH_RUNS ?? 15);

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}
function time(fn: () => void): number[] {
  fn(); // warm-up
  const out: number[] = [];
  for (let i = 0; i < RUNS; i += 1) { const t = performance.now(); fn(); out.push(performance.now() - t); }
  return out;
}

/** The obvious first version: re-scan per category, string += with chained replaces, JSON.stringify per cell. */
function naive(d: DiscoveryResult): { html: string; csv: string; json: string } {
  const esc = (s: string) => s.replace(/&/gu, '&amp;').replace(/</gu, '&lt;').replace(/>/gu, '&gt;').replace(/"/gu, '&quot;').replace(/'/gu, '&#39;');
  let html = '<html><body><h1>Report</h1><table>';
  for (const letter of CCPA_LETTERS) {
    const fields = new Set<string>();
    for (const c of d.collections) for (const r of c.rows) {
      if (r.shared) continue;
      for (const [f, cat] of Object.entries(r.categories)) if (ccpaCategoryOf(cat) === letter) fields.add(`${c.collection}.${f}`);
    }
    html += '<tr><td>' + letter + '</td><td>' + esc(CCPA_CATEGORIES[letter]) + '</td><td>' + esc([...fields].join(', ')) + '</td></tr>';
  }
  html += '</table>';
  let csv = 'system,dataset,collection,row,field,value,data_category,ccpa_category\n';
  for (const c of d.collections) {
    html += '<h3>' + esc(c.collection) + '</h3><table>';
    c.rows.forEach((r, i) => {
      if (r.shared) return;
      html += '<tr>';
      for (const [f, v] of Object.entries(r.values)) {
        html += '<td>' + esc(displayValue(v)) + '</td>';
        const cat = r.categories[f] ?? '';
        csv += [c.system, c.dataset, c.collection, String(i + 1), f, displayValue(v), cat, cat ? ccpaCategoryOf(cat) : ''].map((x) => JSON.stringify(x)).join(',') + '\n';
      }
      html += '</tr>';
    });
    html += '</table>';
  }
  html += '</body></html>';
  return { html, csv, json: JSON.stringify(d, null, 2) };
}

const d = generatedDiscovery('PD-BENCH-000001', ROWS, COLLECTIONS);
const opts = { businessName: 'Acme', generatedAt: '2026-03-10T00:00:00.000Z' };
global.gc?.();
const heap0 = process.memoryUsage().heapUsed;
let sizes = { html: 0, csv: 0, json: 0 };
const ours = time(() => {
  const r = buildAccessReport(d, opts);
  const html = reportHtml(r); const csv = reportCsv(r); const json = reportJson(r);
  sizes = { html: Buffer.byteLength(html), csv: Buffer.byteLength(csv), json: Buffer.byteLength(json) };
});
const heapAfter = process.memoryUsage().heapUsed;
const build = time(() => { buildAccessReport(d, opts); });
const report = buildAccessReport(d, opts);
const htmlOnly = time(() => { reportHtml(report); });
const csvOnly = time(() => { reportCsv(report); });
const jsonOnly = time(() => { reportJson(report); });
// Interleaved so both see the same machine load (the machine is shared).
const oursI: number[] = []; const naiveT: number[] = [];
for (let i = 0; i < RUNS; i += 1) {
  let t = performance.now();
  { const r = buildAccessReport(d, opts); reportHtml(r); reportCsv(r); reportJson(r); }
  oursI.push(performance.now() - t);
  t = performance.now(); naive(d); naiveT.push(performance.now() - t);
}

const enc = new TextEncoder();
const attachments = [
  { filename: 'personal-information-report.html', contentType: 'text/html', content: enc.encode(reportHtml(report)) },
  { filename: 'personal-information.json', contentType: 'application/json', content: enc.encode(reportJson(report)) },
  { filename: 'personal-information.csv', contentType: 'text/csv', content: enc.encode(reportCsv(report)) },
];
const t0 = performance.now();
const mime = await composeMime({ to: 'jane@example.com', from: 'privacy@acme.test', subject: 'Report', html: '<p>x</p>', text: 'x', attachments });
const mimeMs = performance.now() - t0;

const mb = (n: number) => (n / 1024 / 1024).toFixed(2);
console.log(`access report: ${ROWS} rows x 8 fields across ${COLLECTIONS} collections, ${RUNS} runs`);
console.log(`  build+html+csv+json  p50 ${pct(ours, 50).toFixed(1)} ms  p95 ${pct(ours, 95).toFixed(1)} ms  (${Math.round(ROWS / (pct(ours, 50) / 1000)).toLocaleString('en-US')} rows/s)`);
console.log(`    build ${pct(build, 50).toFixed(1)} ms | html ${pct(htmlOnly, 50).toFixed(1)} ms | csv ${pct(csvOnly, 50).toFixed(1)} ms | json ${pct(jsonOnly, 50).toFixed(1)} ms (p50)`);
console.log(`  sizes: html ${mb(sizes.html)} MB, csv ${mb(sizes.csv)} MB, json ${mb(sizes.json)} MB; raw MIME with 3 attachments ${mb(mime.byteLength)} MB (composed in ${mimeMs.toFixed(0)} ms); SES limit 40 MB -> ${mime.byteLength > 40 * 1024 * 1024 ? 'download link' : 'attachments'}`);
console.log(`  heap growth over the runs: ${mb(Math.max(0, heapAfter - heap0))} MB; rss ${mb(process.memoryUsage().rss)} MB`);
console.log(`  naive builder p50 ${pct(naiveT, 50).toFixed(1)} ms  p95 ${pct(naiveT, 95).toFixed(1)} ms`);
console.log(`  interleaved with it, ours p50 ${pct(oursI, 50).toFixed(1)} ms`);
console.log(`  ratio naive/ours (p50, interleaved): ${(pct(naiveT, 50) / pct(oursI, 50)).toFixed(2)}x`);
