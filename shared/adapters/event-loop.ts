// Giving the event loop a turn during long data-map work.
//
// better-sqlite3 is synchronous: every statement runs to completion on the calling thread and its
// promise (shared/store/sqlite-db.ts) resolves at once, so a discovery walk, a ledger replay or a
// batch erasure made of thousands of statements chains microtasks only and never lets Node's event
// loop run timers or I/O until it ends. The web-mode server and the Electron main process run in
// that same loop: the console's progress polls, and every other request, would get no answer
// meanwhile. The long loops call `yieldIfDue()` between units of work (a query, a page, a chunk of
// statements, hashed rows): once `sliceMs` have passed since the loop last had a turn, it waits
// for one (`setImmediate`: pending I/O callbacks - incoming requests - and timers run first), and
// for more while other work keeps the loop busy, up to one slice. Short operations never wait; a
// long one on an idle server pauses for a few microseconds every slice. A single statement still
// runs to its end (no driver call is interrupted).
import { performance } from 'node:perf_hooks';

/** Longest stretch of synchronous work between two turns of the event loop (ms). */
export const DEFAULT_SLICE_MS = 10;

let sliceMs = DEFAULT_SLICE_MS;
let lastTurn = performance.now();

/** True when the work has kept the loop busy for a whole slice. */
export function turnDue(): boolean {
  return performance.now() - lastTurn >= sliceMs;
}

/** A turn of the loop that took longer than this ran someone else's work (a bare turn takes microseconds). */
const BUSY_TURN_MS = 0.25;

const oneTurn = () => new Promise<void>((resolve) => { setImmediate(resolve); });

/**
 * Let the event loop run (I/O callbacks, timers), then carry on. A request usually needs several
 * turns (read the body, decrypt, write the answer): while the last turn ran other work, take
 * another, for at most one slice; when nothing else is waiting this costs a single bare turn.
 */
export async function takeTurn(): Promise<void> {
  const start = performance.now();
  for (;;) {
    const t = performance.now();
    await oneTurn();
    const now = performance.now();
    if (now - t < BUSY_TURN_MS || now - start >= sliceMs) break;
  }
  lastTurn = performance.now();
}

/** Take a turn when one is due (call it between units of long work). */
export async function yieldIfDue(): Promise<void> {
  if (performance.now() - lastTurn >= sliceMs) await takeTurn();
}

/**
 * Change the slice (tests: `Infinity` turns yielding off, to compare results and latency with and
 * without it). Returns the previous value.
 */
export function setYieldSlice(ms: number): number {
  const before = sliceMs;
  sliceMs = ms;
  lastTurn = performance.now();
  return before;
}
