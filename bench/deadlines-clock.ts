// Benchmark of the legal clock: computeDeadlines over many cases (the engine calls it on every
// transition and the case list on every row), against the obvious alternatives:
//  - localDate through a cached Intl.DateTimeFormat vs Date#toLocaleDateString(timeZone) per call;
//  - addBusinessDays with a per-year Set of holidays vs scanning the holiday list on every step.
// Run: npx tsx bench/deadlines-clock.ts   (BENCH_CASES=200000 to scale; default 50000)
import { CASE_TYPES, JURISDICTIONS, type HoldReason } from '../shared/domain/case';
import { computeDeadlines, localDate, type ClockInput } from '../shared/domain/deadlines';
import { addDays, isWeekend } from '../shared/domain/deadlines-calendar';
import { addBusinessDays, holidaysFor } from '../shared/domain/holidays';
import { rulesFor } from '../shared/domain/jurisdiction-rules';

const N = Number(process.env.BENCH_CASES ?? 50_000);
const BATCH = 1000;

let seed = 42;
const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
const t0 = Date.parse('2026-01-01T00:00:00Z');
const instant = (offsetDays: number) => new Date(t0 + offsetDays * 86_400_000).toISOString();

const inputs: ClockInput[] = Array.from({ length: N }, () => {
  const start = rand() * 730;
  const pauses = rand() < 0.2
    ? [{ from: instant(start + 2), to: rand() < 0.5 ? instant(start + 2 + rand() * 20) : null, reason: pick<HoldReason>(['awaiting_consumer', 'legal_hold']) }]
    : [];
  return { jurisdiction: pick(JURISDICTIONS), type: pick(CASE_TYPES), receivedAt: instant(start), extended: rand() < 0.3, pauses };
});

function timeBatches(label: string, n: number, run: (i: number) => void): { perSec: number; p50: number; p95: number } {
  const batchMs: number[] = [];
  const start = performance.now();
  for (let b = 0; b < n; b += BATCH) {
    const s = performance.now();
    for (let i = b; i < Math.min(n, b + BATCH); i += 1) run(i);
    batchMs.push((performance.now() - s) / Math.min(BATCH, n - b));
  }
  const total = performance.now() - start;
  batchMs.sort((a, b) => a - b);
  const r = { perSec: n / (total / 1000), p50: batchMs[Math.floor(batchMs.length * 0.5)], p95: batchMs[Math.floor(batchMs.length * 0.95)] };
  console.log(`${label.padEnd(46)} ${Math.round(r.perSec).toLocaleString('en-US').padStart(12)} /s   p50 ${(r.p50 * 1000).toFixed(2)} µs   p95 ${(r.p95 * 1000).toFixed(2)} µs`);
  return r;
}

console.log(`legal clock benchmark: ${N.toLocaleString('en-US')} cases, ${JURISDICTIONS.length} jurisdictions, node ${process.version}`);
const heap0 = process.memoryUsage().heapUsed;
const now = new Date('2026-08-01T12:00:00Z');

// Warm-up (JIT, Intl formatters, holiday caches).
for (let i = 0; i < Math.min(N, 2000); i += 1) computeDeadlines(inputs[i], now);

const clock = timeBatches('computeDeadlines (per case)', N, (i) => { computeDeadlines(inputs[i], now); });

const ours = timeBatches('localDate: cached Intl formatter', N, (i) => { localDate(inputs[i].receivedAt, inputs[i].jurisdiction); });
const naive = timeBatches('localDate: toLocaleDateString per call', N, (i) => {
  new Date(inputs[i].receivedAt).toLocaleDateString('en-CA', { timeZone: rulesFor(inputs[i].jurisdiction).timeZone });
});

function naiveAddBusinessDays(date: string, n: number, j: (typeof JURISDICTIONS)[number]): string {
  let d = date;
  let left = n;
  while (left > 0) {
    d = addDays(d, 1);
    if (!isWeekend(d) && !holidaysFor(j, Number(d.slice(0, 4))).some((h) => h.date === d)) left -= 1;
  }
  return d;
}
const dates = inputs.map((c) => localDate(c.receivedAt, 'CA'));
const bdOurs = timeBatches('addBusinessDays(15, CA): holiday Set', N, (i) => { addBusinessDays(dates[i], 15, 'CA'); });
const bdNaive = timeBatches('addBusinessDays(15, CA): scan list per step', N, (i) => { naiveAddBusinessDays(dates[i], 15, 'CA'); });
for (let i = 0; i < 1000; i += 1) {
  if (addBusinessDays(dates[i], 15, 'CA') !== naiveAddBusinessDays(dates[i], 15, 'CA')) throw new Error('business-day implementations disagree');
}

const heapMb = (process.memoryUsage().heapUsed - heap0) / 1_048_576;
console.log('');
console.log(`ratio localDate cached Intl vs toLocaleDateString: ${(ours.perSec / naive.perSec).toFixed(1)}x faster`);
console.log(`ratio addBusinessDays Set vs list scan:            ${(bdOurs.perSec / bdNaive.perSec).toFixed(1)}x faster`);
console.log(`computeDeadlines: ${(clock.p50 * 1000).toFixed(2)} µs p50 per case -> a 10,000-row case list costs ~${(clock.p50 * 10_000).toFixed(0)} ms of clock work`);
console.log(`heap growth during the run: ${heapMb.toFixed(1)} MB (inputs included)`);
