// Appeals through createApp on SQLite (issue 14 item 2): a denied case of each state whose law
// gives an appeal takes one, with that state's answer date counted from the appeal's receipt
// (real dates, per state); states without an appeal, withdrawn requests and open cases refuse;
// the reason is sealed at rest and audited; the denial email says how to appeal (or where else to
// turn); granted opens a linked case with the original's identities; upheld writes to the consumer
// naming the state's Attorney General; the queue lists the open appeals.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App } from '../../../shared/app/app';
import type { Jurisdiction } from '../../../shared/domain/case';

const staff = { actor: 'staff:ann' };
let dir: string;
let app: App;
const now = { t: Date.parse('2027-01-10T17:00:00.000Z') };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pd-appeals-'));
  app = await createApp({ dataDir: dir, db: { kind: 'sqlite', file: join(dir, 'pd.sqlite') } }, { clock: () => new Date(now.t) });
});
afterAll(async () => { await app?.close(); rmSync(dir, { recursive: true, force: true }); });

async function deniedCase(jurisdiction: Jurisdiction, email: string, reason: 'unverifiable' | 'withdrawn' | 'exempt' = 'unverifiable'): Promise<string> {
  const c = await app.call('cases.create', { type: 'delete', jurisdiction, identities: { email, name: 'Jane Appellant' }, receivedAt: '2027-01-10T17:00:00.000Z' }, staff);
  await app.settle(c.id);
  await app.call('cases.deny', { id: c.id, reason, note: 'no account matched Jane Appellant' }, staff);
  await app.settle(c.id);
  return c.id;
}

async function mailText(id: string, template: string): Promise<string> {
  const m = (await app.call('messages.list', { id }, staff)).find((x) => x.template === template);
  expect(m, `${template} message of ${id}`).toBeDefined();
  return (await app.call('messages.body', { id, messageId: m!.id }, staff)).text ?? '';
}

// Appeal received on Mon 2027-03-01 (the receipt day is day 0; calendar days, not moved off a weekend).
// `extended`: the answer date after the one extension (45 + 60 = 105 days), null where none is allowed.
const TABLE: Array<{ j: Jurisdiction; respond: string; days: number; extension: number | null; extended: string | null; ag: RegExp }> = [
  { j: 'VA', respond: '2027-04-30', days: 60, extension: null, extended: null, ag: /Attorney General of Virginia/u },
  { j: 'CO', respond: '2027-04-15', days: 45, extension: 60, extended: '2027-06-14', ag: /Colorado Attorney General/u },
  { j: 'CT', respond: '2027-04-30', days: 60, extension: null, extended: null, ag: /Attorney General of Connecticut/u },
  { j: 'TX', respond: '2027-04-30', days: 60, extension: null, extended: null, ag: /Attorney General of Texas/u },
  { j: 'OR', respond: '2027-04-15', days: 45, extension: 60, extended: '2027-06-14', ag: /Oregon Department of Justice/u },
  { j: 'NJ', respond: '2027-04-15', days: 45, extension: null, extended: null, ag: /New Jersey Division of Consumer Affairs/u },
  { j: 'MN', respond: '2027-04-15', days: 45, extension: 60, extended: '2027-06-14', ag: /Minnesota Attorney General/u },
  { j: 'FL', respond: '2027-04-30', days: 60, extension: null, extended: null, ag: /Florida Office of the Attorney General/u },
  { j: 'MT', respond: '2027-04-30', days: 60, extension: null, extended: null, ag: /Montana Department of Justice/u },
  { j: 'TN', respond: '2027-04-30', days: 60, extension: null, extended: null, ag: /Tennessee Attorney General/u },
];

describe('appeals through the API', () => {
  it.each(TABLE)('$j: answer due $respond ($days days from receipt), extended $extended; the denial email says how to appeal', async ({ j, respond, days, extension, extended, ag }) => {
    now.t = Date.parse('2027-01-10T17:00:00.000Z');
    const id = await deniedCase(j, `appeal.${j.toLowerCase()}@example.com`);
    const denial = await mailText(id, 'denial');
    expect(denial).toContain('How to appeal');
    expect(denial).toContain(`within ${days} days of receiving it`);
    if (extension) expect(denial).toContain(`once extendable by ${extension} days`);
    else expect(denial).not.toContain('extendable');
    expect(denial).toMatch(ag);
    expect(denial).toContain('do not sell or share'); // a denied deletion offers the opt-out (§7022)

    now.t = Date.parse('2027-03-05T16:00:00.000Z');
    const a = await app.call('appeals.file', { id, receivedOn: '2027-03-01', reason: 'I gave you my account number, Jane Appellant' }, staff);
    expect(a).toMatchObject({ caseId: id, jurisdiction: j, status: 'open', receivedOn: '2027-03-01', deadlines: { respond, respondOriginal: respond }, overdue: false });
    expect(a.attorneyGeneral.office).toMatch(ag);
    const listed = await app.call('appeals.forCase', { id }, staff);
    expect(listed.map((x) => x.reason)).toEqual(['I gave you my account number, Jane Appellant']);
    const audit = await app.call('cases.audit', { id }, staff);
    expect(audit.find((e) => e.action === 'appeal.filed')?.detail).toMatchObject({ appealId: a.id, receivedOn: '2027-03-01', respondBy: respond, note: 'I gave you my account number, Jane Appellant' });
    await expect(app.call('appeals.file', { id, receivedOn: '2027-03-02', reason: 'again' }, staff)).rejects.toThrow(/appealed already/u);

    now.t = Date.parse('2027-04-10T16:00:00.000Z');
    if (!extended) {
      await expect(app.call('appeals.extend', { id, reason: 'many records to check' }, staff)).rejects.toThrow(/allows no extension/u);
      return;
    }
    const e = await app.call('appeals.extend', { id, reason: 'records in archived backups must be restored' }, staff);
    expect(e).toMatchObject({ extended: true, deadlines: { respond: extended, respondOriginal: respond } });
    const notice = await mailText(id, 'appeal-extension');
    expect(notice).toContain('records in archived backups must be restored');
    expect(notice).toContain(`We will answer your appeal by ${extended}`);
    await expect(app.call('appeals.extend', { id, reason: 'again' }, staff)).rejects.toThrow(/already extended once/u);
  });

  it('an appeal cannot be extended after its first due date', async () => {
    now.t = Date.parse('2027-01-10T17:00:00.000Z');
    const id = await deniedCase('CO', 'appeal.late@example.com');
    now.t = Date.parse('2027-03-01T16:00:00.000Z');
    await app.call('appeals.file', { id, reason: 'x' }, staff);
    now.t = Date.parse('2027-04-16T16:00:00.000Z');
    await expect(app.call('appeals.extend', { id, reason: 'late' }, staff)).rejects.toThrow(/first due date 2027-04-15 has passed/u);
    expect((await app.call('appeals.forCase', { id }, staff))[0]).toMatchObject({ overdue: true, daysLeft: -1 });
  });

  it('the receipt date defaults to today in the case\'s zone and may be neither in the future nor before the refusal', async () => {
    now.t = Date.parse('2027-01-10T17:00:00.000Z');
    const id = await deniedCase('VA', 'appeal.today@example.com');
    await expect(app.call('appeals.file', { id, receivedOn: '2027-01-09', reason: 'x' }, staff)).rejects.toThrow(/before the refusal of 2027-01-10/u);
    await expect(app.call('appeals.file', { id, receivedOn: '2027-01-11', reason: 'x' }, staff)).rejects.toThrow(/in the future/u);
    // 2027-01-12T03:00Z is still the 11th in Virginia (America/New_York).
    now.t = Date.parse('2027-01-12T03:00:00.000Z');
    const a = await app.call('appeals.file', { id, reason: 'please look again' }, staff);
    expect(a.receivedOn).toBe('2027-01-11');
    expect(a.deadlines.respond).toBe('2027-03-12');
  });

  it('refuses where the law gives no appeal, a withdrawn request, and an open case', async () => {
    now.t = Date.parse('2027-01-10T17:00:00.000Z');
    const ca = await deniedCase('CA', 'appeal.ca@example.com');
    expect(await mailText(ca, 'denial')).toContain('California Privacy Protection Agency');
    expect(await mailText(ca, 'denial')).not.toContain('How to appeal');
    await expect(app.call('appeals.file', { id: ca, reason: 'x' }, staff)).rejects.toThrow(/gives no appeal/u);
    const ut = await deniedCase('UT', 'appeal.ut@example.com');
    expect(await mailText(ut, 'denial')).toContain('Utah law gives no appeal');
    await expect(app.call('appeals.file', { id: ut, reason: 'x' }, staff)).rejects.toThrow(/Utah.*gives no appeal/u);
    const w = await deniedCase('VA', 'appeal.withdrawn@example.com', 'withdrawn');
    await expect(app.call('appeals.file', { id: w, reason: 'x' }, staff)).rejects.toThrow(/withdrew/u);
    const open = await app.call('cases.create', { type: 'access', jurisdiction: 'VA', identities: { email: 'appeal.open@example.com' } }, staff);
    await app.settle(open.id);
    await expect(app.call('appeals.file', { id: open.id, reason: 'x' }, staff)).rejects.toThrow(/only a denied or partly refused request/u);
    await expect(app.call('appeals.decide', { id: open.id, outcome: 'upheld', note: 'x' }, staff)).rejects.toThrow(/no open appeal/u);
  });

  it('upheld: the answer names the state\'s Attorney General; granted: a linked case redoes the request', async () => {
    now.t = Date.parse('2027-01-10T17:00:00.000Z');
    const up = await deniedCase('CO', 'appeal.upheld@example.com');
    const gr = await deniedCase('CT', 'appeal.granted@example.com');
    now.t = Date.parse('2027-02-01T15:00:00.000Z');
    await app.call('appeals.file', { id: up, reason: 'wrong decision' }, staff);
    await app.call('appeals.file', { id: gr, reason: 'here is my account number' }, staff);
    const open = await app.call('appeals.list', { status: 'open' }, staff);
    expect(open.items.map((x) => x.caseId)).toEqual(expect.arrayContaining([up, gr]));
    expect(open.items.every((x) => x.reason === null)).toBe(true); // lists carry no free text
    // Sorted by answer date: Colorado's 45 days come before Connecticut's 60.
    expect(open.items.findIndex((x) => x.caseId === up)).toBeLessThan(open.items.findIndex((x) => x.caseId === gr));

    now.t = Date.parse('2027-02-10T15:00:00.000Z');
    const u = await app.call('appeals.decide', { id: up, outcome: 'upheld', note: 'The account could still not be matched.' }, staff);
    expect(u).toMatchObject({ status: 'upheld', decidedBy: 'staff:ann', decisionNote: 'The account could still not be matched.', reopenedCaseId: null });
    const upText = await mailText(up, 'appeal-upheld');
    expect(upText).toContain('our decision stands');
    expect(upText).toContain('Colorado Attorney General, Consumer Protection Section (https://coag.gov/file-complaint)');
    expect(upText).toContain('The account could still not be matched.');
    await expect(app.call('appeals.decide', { id: up, outcome: 'granted', note: 'x' }, staff)).rejects.toThrow(/no open appeal/u);

    const g = await app.call('appeals.decide', { id: gr, outcome: 'granted', note: 'The account number matches.' }, staff);
    expect(g.status).toBe('granted');
    expect(g.reopenedCaseId).toMatch(/^PD-/u);
    await app.settle(g.reopenedCaseId!);
    const redo = await app.call('cases.get', { id: g.reopenedCaseId! }, staff);
    expect(redo).toMatchObject({ type: 'delete', jurisdiction: 'CT', status: 'verifying', identitiesMasked: { email: 'a***@example.com' } });
    expect(redo.receivedAt).toBe('2027-02-10T15:00:00.000Z');
    const revealed = await app.call('cases.revealIdentities', { id: g.reopenedCaseId!, reason: 'test' }, staff);
    expect(revealed).toMatchObject({ email: 'appeal.granted@example.com', name: 'Jane Appellant' });
    expect((await app.call('cases.audit', { id: g.reopenedCaseId! }, staff)).map((e) => e.action)).toContain('case.reopened_on_appeal');
    expect(await mailText(gr, 'appeal-granted')).toContain(`handling your request again under reference ${g.reopenedCaseId!}`);
    expect((await app.call('appeals.list', { status: 'open' }, staff)).items.map((x) => x.caseId)).not.toContain(gr);
  });

  it('keeps the appeal reason and decision note sealed in the database file', async () => {
    await app.close();
    const bytes = readdirSync(dir).filter((f) => f.startsWith('pd.sqlite')).map((f) => readFileSync(join(dir, f)).toString('latin1')).join('');
    expect(bytes).not.toContain('I gave you my account number');
    expect(bytes).not.toContain('The account could still not be matched');
    expect(bytes).not.toContain('Jane Appellant');
    app = await createApp({ dataDir: dir, db: { kind: 'sqlite', file: join(dir, 'pd.sqlite') } }, { clock: () => new Date(now.t) });
    const [a] = (await app.call('appeals.list', { status: 'upheld' }, staff)).items;
    expect((await app.call('appeals.forCase', { id: a!.caseId }, staff))[0]!.decisionNote).toBe('The account could still not be matched.');
  });
});

describe('appeals of a partly refused request', () => {
  it('a case closed with rows kept as exempt may be appealed; one complied with in full may not', async () => {
    const d = mkdtempSync(join(tmpdir(), 'pd-appeals-part-'));
    const exempt = new Map<string, number>();
    const clock = { t: Date.parse('2027-02-01T15:00:00Z') };
    const a2 = await createApp({ dataDir: d, db: { kind: 'sqlite', file: join(d, 'pd.sqlite') } }, {
      clock: () => new Date(clock.t),
      effects: {
        acknowledge: async () => undefined,
        discover: async (id) => ({ rows: 3, review: 0, exempt: exempt.get(id) ?? 0, errors: 0 }),
        respond: async () => undefined,
      },
    });
    try {
      const answered = async (email: string, kept: number) => {
        const c = await a2.call('cases.create', { type: 'access', jurisdiction: 'TX', identities: { email } }, staff);
        await a2.settle(c.id);
        exempt.set(c.id, kept);
        await a2.call('cases.verify', { id: c.id, method: 'staff', note: 'two data points', dataPoints: 2 }, staff);
        await a2.call('cases.discover', { id: c.id }, staff);
        await a2.settle(c.id);
        await a2.call('cases.approve', { id: c.id }, staff);
        await a2.settle(c.id);
        expect((await a2.call('cases.get', { id: c.id }, staff)).status).toBe('closed');
        return c.id;
      };
      const part = await answered('part@example.com', 2);
      const whole = await answered('whole@example.com', 0);
      clock.t = Date.parse('2027-02-03T15:00:00Z');
      const a = await a2.call('appeals.file', { id: part, receivedOn: '2027-02-03', reason: 'you kept my order history' }, staff);
      expect(a.deadlines.respond).toBe('2027-04-04'); // Texas: 60 days
      await expect(a2.call('appeals.file', { id: whole, reason: 'x' }, staff)).rejects.toThrow(/complied with in full/u);
    } finally {
      await a2.close();
      rmSync(d, { recursive: true, force: true });
    }
  });
});
