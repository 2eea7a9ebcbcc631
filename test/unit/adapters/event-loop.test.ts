// yieldIfDue: a turn of the event loop once a slice of work has run, none before; a turn lasts while
// other work keeps the loop busy (a request's several hops), at most one slice.
import { describe, it, expect, afterEach } from 'vitest';
import { DEFAULT_SLICE_MS, setYieldSlice, takeTurn, turnDue, yieldIfDue } from '../../../shared/adapters/event-loop';

const busy = (ms: number) => { const end = performance.now() + ms; while (performance.now() < end) { /* work */ } };

describe('event-loop turns during long work', () => {
  afterEach(() => { setYieldSlice(DEFAULT_SLICE_MS); });

  it('yields only once a slice has passed', async () => {
    setYieldSlice(20);
    let ran = false;
    setImmediate(() => { ran = true; });
    expect(turnDue()).toBe(false);
    await yieldIfDue();
    expect(ran).toBe(false); // too early: no turn taken
    busy(25);
    expect(turnDue()).toBe(true);
    await yieldIfDue();
    expect(ran).toBe(true);
    expect(turnDue()).toBe(false);
  });

  it('never yields with an infinite slice (the behaviour without yielding)', async () => {
    setYieldSlice(Infinity);
    let ran = false;
    setImmediate(() => { ran = true; });
    busy(15);
    for (let i = 0; i < 100; i += 1) await yieldIfDue();
    expect(ran).toBe(false);
    await takeTurn();
    expect(ran).toBe(true);
  });

  it('keeps turning while other work runs, for at most one slice', async () => {
    setYieldSlice(30);
    // Another task that needs 5 hops of 2 ms each (like a request: read, decrypt, answer).
    let hops = 0;
    const other = () => { busy(2); hops += 1; if (hops < 5) setImmediate(other); };
    setImmediate(other);
    await takeTurn();
    expect(hops).toBe(5);
    // A task that never stops: the turn ends after one slice anyway.
    let stop = false;
    const endless = () => { busy(2); if (!stop) setImmediate(endless); };
    setImmediate(endless);
    const t = performance.now();
    await takeTurn();
    const took = performance.now() - t;
    stop = true;
    expect(took).toBeGreaterThanOrEqual(30);
    expect(took).toBeLessThan(200);
    // Nothing else waiting: a single bare turn, however long the slice.
    await new Promise((r) => { setImmediate(r); });
    setYieldSlice(1000);
    const t2 = performance.now();
    await takeTurn();
    expect(performance.now() - t2).toBeLessThan(50);
  });
});
