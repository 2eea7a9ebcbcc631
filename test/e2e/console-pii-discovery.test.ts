// PII discovery from the Data map screen (web mode, Chromium): staff run discovery on a SQLite file
// nobody has mapped (PII behind neutral column names, plus a hundred log tables so the run takes a
// moment and shows its progress), review the draft with the keyboard (reject one proposal, change a
// field the rules cannot know about), save it as a new system and see it on the screen; then run it
// on the demo shop, whose draft is compared with its current map. Screenshots of each step go to
// test/e2e/screenshots/. Sampled values never appear on the page.
import { describe, it, expect, beforeAll } from 'vitest';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { screenshot, useConsole } from './console-harness';

const EMAILS = ['zoe.quinn@example.com', 'yan.ito@example.org', 'xavi.ruiz@example.net', 'will.park@example.com', 'vera.nash@example.com'];
const PHONES = ['+1 415 555 0171', '(415) 555-0172', '415.555.0173', '+14155550174', '415-555-0175'];
const CARDS = ['4111 1111 1111 1111', '5500-0000-0000-0004', '340000000000009', '6011000000000004', '4012888888881881'];

function makeClubDb(file: string): void {
  const db = new Database(file);
  db.exec('BEGIN');
  db.exec(`
    CREATE TABLE members (member_no INTEGER PRIMARY KEY, contact TEXT, reach TEXT, pay_ref TEXT, full_name TEXT, notes TEXT, joined TEXT);
    CREATE TABLE visits (id INTEGER PRIMARY KEY, member_id INTEGER, room TEXT, at TEXT);
  `);
  const ins = db.prepare('INSERT INTO members VALUES (?, ?, ?, ?, ?, ?, ?)');
  EMAILS.forEach((e, i) => ins.run(i + 1, e, PHONES[i], CARDS[i], `Member ${i}`, `prefers room ${i}`, '2025-01-0' + String(i + 1)));
  const v = db.prepare('INSERT INTO visits VALUES (?, ?, ?, ?)');
  for (let i = 0; i < 10; i += 1) v.run(i + 1, (i % 5) + 1, `R${i}`, '2025-02-01');
  // Log tables with nothing personal (codes that look like phone numbers but are not valid ones):
  // they make the run long enough to watch its progress and are left out of the saved map.
  for (let t = 0; t < 100; t += 1) {
    db.exec(`CREATE TABLE log_${String(t).padStart(3, '0')} (id INTEGER PRIMARY KEY, event TEXT, room TEXT, code TEXT)`);
    const l = db.prepare(`INSERT INTO log_${String(t).padStart(3, '0')} VALUES (?, ?, ?, ?)`);
    for (let i = 0; i < 1000; i += 1) l.run(i, `event ${i}`, `room ${i % 40}`, `+1 000 555 ${String(1000 + i).slice(-4)}`);
  }
  db.exec('COMMIT');
  db.close();
}

describe('console: PII discovery on the Data map screen (web mode, Chromium)', () => {
  let clubFile = '';
  const con = useConsole({ prepare: (dataDir) => { clubFile = join(dataDir, 'club.sqlite'); makeClubDb(clubFile); } });
  let page: Page;
  beforeAll(() => { page = con.page; });

  it('runs discovery on an unmapped database with a progress bar, reviews the draft, and saves it as a new system', async () => {
    await page.getByRole('heading', { name: 'Queue' }).waitFor();
    await page.getByRole('navigation').getByRole('link', { name: 'Data map' }).click();
    await page.getByRole('heading', { name: 'PII discovery' }).waitFor();
    await page.getByRole('heading', { name: 'demo-shop' }).waitFor();

    await page.getByLabel('Database').selectOption({ label: 'Another database…' });
    await page.getByLabel('Engine').selectOption('sqlite');
    await page.getByLabel('SQLite file path').fill(clubFile);
    await page.getByLabel('Values sampled per column').fill('1000');
    await page.getByRole('button', { name: 'Run PII discovery' }).click();

    // Progress: the bar is there while it runs, and moves
    const bar = page.getByRole('progressbar');
    await bar.waitFor({ timeout: 15_000 });
    // The back end answers the status polls while it samples: the bar shows columns done / all columns
    await page.getByRole('progressbar', { name: /^Sampling \w+ — \d+ of 411 columns$/u }).waitFor({ timeout: 60_000 });
    const now = Number(await bar.getAttribute('aria-valuenow'));
    expect(now).toBeGreaterThan(0);
    expect(now).toBeLessThan(100);
    expect(await page.getByRole('button', { name: 'Run PII discovery' }).isDisabled()).toBe(true);
    await screenshot(page, 'data-map-pii-progress');
    await page.getByText(/^Discovery finished: 411 columns looked at\.$/u).waitFor({ timeout: 120_000 });
    expect(await bar.count()).toBe(0);

    // The draft: proposals with their reasons; the log tables have none and are not listed
    const members = page.getByRole('table', { name: 'Draft for members' });
    await members.waitFor();
    expect(await page.getByRole('table', { name: /^Draft for log_/u }).count()).toBe(0);
    const row = (name: string) => members.getByRole('row').filter({ has: page.getByRole('rowheader').filter({ hasText: new RegExp(`^${name}`, 'u') }) });
    expect(await row('contact').textContent()).toMatch(/user\.contact\.email.*identity: email.*100 % of 5 sampled values are email addresses/u);
    expect(await row('reach').textContent()).toMatch(/user\.contact\.phone_number.*valid phone numbers/u);
    expect(await row('pay_ref').textContent()).toMatch(/user\.financial\.credit_card.*Luhn/u);
    expect(await row('full_name').textContent()).toMatch(/user\.name.*column name matches the rule for user\.name/u);
    const body = await page.locator('main').textContent();
    for (const v of [...EMAILS, ...PHONES, ...CARDS]) expect(body).not.toContain(v);

    // Review with the keyboard: reject the card proposal, then change "notes" (no proposal: shown with every column)
    await page.getByLabel('Decision for members.pay_ref').focus();
    await page.getByLabel('Decision for members.pay_ref').selectOption('reject');
    await page.getByLabel('Show every column (also those with no proposal)').check();
    const notes = page.getByLabel('Decision for members.notes');
    await notes.focus();
    await notes.selectOption('change');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('pii-members_notes-c');
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('user.health_and_medical');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('pii-members_notes-i');
    await page.getByLabel('Show every column (also those with no proposal)').uncheck();
    await expect.poll(async () => page.getByLabel('Decision for members.notes').count()).toBe(1); // changed fields stay listed: notes has a current choice
    await page.getByLabel('Name of the new system').fill('club');
    expect(await page.locator('.pii-counts').textContent()).toBe('Listed fields: 4 accepted · 1 changed · 1 rejected');
    await screenshot(page, 'data-map-pii-draft');

    await page.getByRole('button', { name: 'Save as data map' }).click();
    await page.getByRole('status').filter({ hasText: /^Saved as the data map of club: 2 collections; \d+ accepted, 1 changed, 1 rejected\.$/u }).waitFor({ timeout: 15_000 });
    const club = page.locator('#system-club');
    await club.getByRole('heading', { name: 'club' }).waitFor();
    await club.getByRole('button', { name: /^members/u }).click();
    const notesRow = club.getByRole('row').filter({ hasText: /^notes/u });
    expect(await notesRow.textContent()).toContain('user.health_and_medical');
    expect(await club.getByRole('row').filter({ hasText: /^contact/u }).textContent()).toMatch(/user\.contact\.email.*identity: email/u);
    expect(await club.getByRole('row').filter({ hasText: /^pay_ref/u }).textContent()).toContain('system.operations');
    await screenshot(page, 'data-map-pii-saved');
  });

  it('runs discovery on the demo shop and compares the draft with its current map', async () => {
    await page.getByLabel('Database').selectOption('demo-shop');
    await page.getByRole('button', { name: 'Run PII discovery' }).click();
    await page.getByText(/^Discovery finished: \d+ columns looked at\.$/u).waitFor({ timeout: 60_000 });
    const customers = page.getByRole('table', { name: 'Draft for customers' });
    await customers.waitFor();
    expect(await customers.locator('thead').textContent()).toContain('In the map now');
    const email = customers.getByRole('row').filter({ has: page.getByRole('rowheader').filter({ hasText: /^email/u }) });
    expect(await email.textContent()).toMatch(/column name matches the rule for user\.contact\.email; \d+ % of \d+ sampled values are email addresses/u);
    expect(await page.getByLabel('Decision for customers.email').inputValue()).toBe('accept');
    const body = await page.locator('main').textContent();
    for (const v of ['ann.lee@example.com', 'Ann.Lee@Example.com', '(415) 555-0101', 'L-1001']) expect(body).not.toContain(v);
    await screenshot(page, 'data-map-pii-demo-shop');
  });
});
