// Demo data for a first start: when the case store is empty, the demo shop (a small SQLite shop
// with its data map, registered as the system "demo-shop" through datamap.demo.register) and a
// dozen cases covering every state a
// case rests in (verifying, verified, in review, on hold, closed, denied; overdue, due soon,
// extended), all made through the app API exactly as staff would, never by writing tables.
// The demo identities use example.com/.net/.org addresses and 555-01xx numbers (reserved for
// fiction); three of them are customers of the demo shop, so discovery finds their rows.
import type { App } from './app';
import { ApiForbiddenError } from './api';
import type { NewCase } from '../domain/case';

const DAY = 86_400_000;
const META = { actor: 'demo-loader' };

interface DemoCase {
  input: NewCase;
  daysAgo: number;
  then?: Array<(app: App, id: string) => Promise<unknown>>;
}

const verify = (dataPoints = 2) => (app: App, id: string) =>
  app.call('cases.verify', { id, method: 'staff', note: 'demo: matched account number and postal code', dataPoints }, META);
/** The high level (11 CCR §7062(d): the demo shop's customers hold a government id): the consumer's signed declaration stored with the case, 3 data points. */
const verifyHigh = (signedName: string) => async (app: App, id: string) => {
  const signedOn = new Date(app.ctx.clock().getTime() - DAY).toISOString().slice(0, 10);
  const d = await app.call('declarations.store', { id, signedName, signedOn }, META);
  return app.call('cases.verify', { id, method: 'staff', note: 'demo: matched account number, postal code and date of birth; signed declaration', dataPoints: 3, declarationId: d.documentId }, META);
};
const discover = (app: App, id: string) => app.call('cases.discover', { id }, META);
const approve = (app: App, id: string) => app.call('cases.approve', { id }, META);
const settle = (app: App, id: string) => app.settle(id);

function demoCases(): DemoCase[] {
  return [
    { daysAgo: 2, input: { type: 'delete', jurisdiction: 'CA', channel: 'phone', identities: { email: 'maria.lopez@example.com', phone: '+14155550101', name: 'Maria Lopez' } } },
    { daysAgo: 38, input: { type: 'access', jurisdiction: 'CA', channel: 'email', identities: { email: 'sam.okafor@example.com' } } },
    { daysAgo: 50, input: { type: 'delete', jurisdiction: 'CA', channel: 'mail', identities: { email: 'lee.chen@example.com', name: 'Lee Chen' }, assignee: 'alex' } },
    { daysAgo: 5, input: { type: 'delete', jurisdiction: 'VA', channel: 'staff', identities: { email: 'jordan.reyes@example.com', phone: '+15405550102' } }, then: [verify()] },
    { daysAgo: 9, input: { type: 'access', jurisdiction: 'EU', channel: 'web', identities: { email: 'anna.schmidt@example.com' } }, then: [verify()] },
    { daysAgo: 12, input: { type: 'delete', jurisdiction: 'CA', channel: 'web', identities: { email: 'bob.lee@example.com', phone: '+14155550102' }, assignee: 'alex' }, then: [verify(), discover, settle] },
    { daysAgo: 15, input: { type: 'delete_pii', jurisdiction: 'CO', channel: 'email', identities: { email: 'carol.diaz@example.net' } }, then: [verify(), discover, settle] },
    { daysAgo: 20, input: { type: 'access', jurisdiction: 'CA', channel: 'phone', identities: { phone: '+13105550104', email: 'tomas.reyes@example.com' } }, then: [verify(), discover, settle, approve, settle] },
    { daysAgo: 30, input: { type: 'delete', jurisdiction: 'CA', channel: 'email', identities: { email: "dave.o'brien@example.org" } }, then: [verifyHigh("Dave O'Brien"), discover, settle, approve, settle] },
    { daysAgo: 3, input: { type: 'opt_out', jurisdiction: 'CA', channel: 'gpc', identities: { email: 'gpc.visitor@example.com' } }, then: [settle] },
    { daysAgo: 25, input: { type: 'access', jurisdiction: 'TX', channel: 'mail', identities: { email: 'unknown.sender@example.com' } },
      then: [(app, id) => app.call('cases.deny', { id, reason: 'unverifiable', note: 'demo: no matching account after two attempts' }, META)] },
    { daysAgo: 18, input: { type: 'delete', jurisdiction: 'CA', channel: 'phone', identities: { phone: '+16505550105', email: 'held.customer@example.com' } },
      then: [verify(), (app, id) => app.call('cases.hold', { id, reason: 'legal_hold', note: 'demo: litigation hold on order records' }, META)] },
    { daysAgo: 33, input: { type: 'correct', jurisdiction: 'CA', channel: 'staff', identities: { email: 'ravi.iyer@example.com' } },
      then: [(app, id) => app.call('cases.extend', { id, reason: 'demo: records in three archived systems need manual retrieval' }, META)] },
    { daysAgo: 1, input: { type: 'limit', jurisdiction: 'CA', channel: 'web', identities: { email: 'limit.me@example.com' } }, then: [settle] },
  ];
}

/** Loads the demo cases when the store has no case at all. Returns how many cases it created. */
export async function loadDemoDataIfEmpty(app: App): Promise<number> {
  const { total } = await app.call('cases.list', { limit: 1 }, META);
  if (total > 0) return 0;
  const { systems } = await app.call('datamap.systems', {}, META);
  if (!systems.some((s) => s.name === 'demo-shop')) await app.call('datamap.demo.register', {}, META);
  const now = app.ctx.clock().getTime();
  let made = 0;
  for (const d of demoCases()) {
    const created = await app.call('cases.create', { ...d.input, receivedAt: new Date(now - d.daysAgo * DAY).toISOString() }, META);
    await app.settle(created.id);
    for (const step of d.then ?? []) {
      try {
        await step(app, created.id);
      } catch (e) {
        // Four-eyes (users were added before the first start): the loader is nobody's second pair
        // of eyes, so such a case rests where staff must decide it (e.g. a deletion in review).
        if (e instanceof ApiForbiddenError) break;
        throw e;
      }
      await app.settle(created.id);
    }
    await app.settle(created.id);
    made += 1;
  }
  return made;
}
