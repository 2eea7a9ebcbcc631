// Issue 16 items 1-2 in Chromium (web mode as `npm start` runs it, 1280x800): two staff users made
// with the CLI (an analyst and an approver: two active users switch four-eyes on), each signing in
// on the login page. The analyst prepares a deletion and is refused executing it, in the dialog
// where the click was; the approver executes it; the messages screen shows the deletion email with
// the numbers the erasure applied. Web mode restarts on the same data folder and port and a reload
// stays signed in. Sign-in with a company account through a real local OpenID Connect provider
// (oidc-provider, its development login page) from the button on the login page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { main } from '../../cli/main';
import { join } from 'node:path';
import { SCREENSHOTS, launchBrowser, openConsole, removeDir, screenshot, startWebMode, tempDataDir, type WebMode } from './console-harness';
import { startOidcProvider, type LocalOidcProvider } from '../support/oidc-provider';
import { raiseVerification } from './raise-verification';

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/** `privacy-desk --data-dir DIR users add ...` in this process; the generated password it prints once. */
async function addUser(dataDir: string, ...argv: string[]): Promise<string | null> {
  let out = '';
  let err = '';
  const code = await main(['--data-dir', dataDir, 'users', 'add', ...argv], { stdout: (t) => { out += t; }, stderr: (t) => { err += t; }, isTTY: false });
  if (code !== 0) throw new Error(`users add ${argv.join(' ')}: exit ${code}: ${err}`);
  return /One-time password for \S+ \(shown once; give it to them in person\): (\S+)/u.exec(out)?.[1] ?? null;
}

/** What the 1280x800 window shows (a full-page capture leaves a modal's backdrop and iframes half drawn). */
const viewShot = (page: Page, name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
const status = (page: Page) => async () => page.locator('.head-status').textContent();
const signedInAs = (page: Page) => async () => (await page.getByTestId('signed-in-user').count()) ? page.locator('.side-user .role').textContent() : null;

async function signIn(page: Page, name: string, password: string): Promise<void> {
  await page.getByRole('heading', { name: 'Sign in to the staff console' }).waitFor();
  await page.getByLabel('User name').fill(name);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('signed-in-user').waitFor();
}

async function signOut(page: Page): Promise<void> {
  await page.getByRole('navigation').getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in to the staff console' }).waitFor();
}

describe('accounts in the console: sign-in, four-eyes erasure, restart, OIDC (web mode, Chromium)', () => {
  let dataDir: string;
  let port: number;
  let idp: LocalOidcProvider;
  let web: WebMode;
  let browser: Browser;
  let page: Page;
  let anaPassword: string;
  let paulPassword: string;
  let caseId: string;
  const start = () => startWebMode(dataDir, ['--port', String(port)], idp.env);

  beforeAll(async () => {
    dataDir = tempDataDir('pd-e2e-accounts-');
    port = await freePort();
    idp = await startOidcProvider({
      redirectUris: [`http://127.0.0.1:${port}/auth/oidc/callback`],
      accounts: { 'olga.sub-7': { email: 'olga@corp.example', emailVerified: true, name: 'Olga Ortiz' } },
    });
    anaPassword = (await addUser(dataDir, 'ana', '--role', 'analyst', '--display-name', 'Ana Analyst'))!;
    paulPassword = (await addUser(dataDir, 'paul', '--role', 'approver', '--display-name', 'Paul Approver'))!;
    await addUser(dataDir, 'olga', '--role', 'viewer', '--display-name', 'Olga Ortiz', '--no-password', '--oidc-subject', 'olga.sub-7', '--oidc-issuer', idp.issuer);
    web = await start();
    browser = await launchBrowser();
    page = await openConsole(browser, web.url);
  });
  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    await idp?.close();
    if (dataDir) removeDir(dataDir);
  });

  it('shows the login page (password and the company account button); a wrong password is refused on the page', async () => {
    expect(new URL(web.url).hash).toBe('');
    await page.getByRole('heading', { name: 'Sign in to the staff console' }).waitFor();
    expect(await page.getByRole('link', { name: 'Sign in with Test IdP' }).isVisible()).toBe(true);
    await page.getByLabel('User name').fill('ana');
    await page.getByLabel('Password').fill('not-her-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toBe('Wrong user name or password.');
    await screenshot(page, 'accounts-login-refused');
    // The session cookie is never visible to the page's scripts.
    expect(await page.evaluate(() => document.cookie)).not.toMatch(/pd_session/u);
  });

  it('the analyst prepares a deletion and cannot execute it: the refusal shows in the dialog', async () => {
    await signIn(page, 'ana', anaPassword);
    expect(await signedInAs(page)()).toBe('ana · analyst');
    expect(await page.getByTestId('signed-in-user').textContent()).toBe('Ana Analyst');
    expect(await page.evaluate(() => document.cookie)).toBe('');
    await page.getByRole('heading', { name: 'Queue' }).waitFor();
    await screenshot(page, 'accounts-analyst-queue');

    await page.getByRole('navigation').getByRole('link', { name: 'New request' }).click();
    await page.getByRole('heading', { name: 'New request' }).waitFor();
    await page.getByLabel('Request type').selectOption('delete');
    await page.getByLabel('Received by').selectOption('phone');
    await page.getByLabel('Email').fill('ann.lee@example.com');
    await page.getByRole('button', { name: 'Create request' }).click();
    await page.getByRole('heading', { name: 'Verification' }).waitFor();
    caseId = (await page.locator('h1').textContent())!.trim();
    await expect.poll(status(page), { timeout: 15_000 }).toBe('Verifying');
    await page.getByLabel('Note (what was checked)').fill('Matched email, phone and last order number on a call-back');
    await page.getByRole('button', { name: 'Mark verified' }).click();
    await expect.poll(status(page), { timeout: 15_000 }).toBe('Verified');
    await page.getByRole('button', { name: 'Run discovery' }).click();
    await expect.poll(status(page), { timeout: 60_000 }).toBe('In review');
    const review = page.locator('#review');
    await expect.poll(async () => review.getByRole('button', { name: /^Set aside/u }).count(), { timeout: 15_000 }).toBeGreaterThan(0);
    for (let n = await review.getByRole('button', { name: /^Set aside/u }).count(); n > 0; n -= 1) {
      await review.getByRole('button', { name: /^Set aside/u }).first().click();
      await expect.poll(async () => review.getByRole('button', { name: /^Set aside/u }).count(), { timeout: 15_000 }).toBe(n - 1);
    }
    // Sensitive data found: the analyst records the high level (3 data points, signed declaration) in review.
    await raiseVerification(page);
    // The sign-off card names who prepared it and that a second approver is needed.
    const signoff = page.locator('.card', { has: page.getByRole('heading', { name: 'Sign-off' }) });
    await expect.poll(async () => signoff.textContent(), { timeout: 15_000 }).toMatch(/Four-eyes/u);
    expect(await page.getByTestId('approved-by').textContent()).toBe('awaiting a second approver');
    expect(await signoff.textContent()).toMatch(/ana/u);

    await page.getByRole('button', { name: 'Approve deletion…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: /^Delete \d+ rows? and mask \d+ rows?$/u }).click();
    await dialog.getByRole('alert').waitFor({ timeout: 15_000 });
    expect(await dialog.getByRole('alert').textContent()).toBe('Not allowed: Only an approver may do this (cases.approve); you are signed in as ana, an analyst. Ask an approver to do it.');
    expect(await dialog.isVisible()).toBe(true);
    await viewShot(page, 'accounts-analyst-refused');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await status(page)()).toBe('In review');
    await signOut(page);
  });

  it('the approver executes it; the messages screen shows the deletion email with the numbers applied', async () => {
    await signIn(page, 'paul', paulPassword);
    expect(await signedInAs(page)()).toBe('paul · approver');
    await page.goto(`${web.origin}/#/case/${caseId}`);
    await page.getByRole('heading', { name: 'Verification' }).waitFor();
    await expect.poll(status(page), { timeout: 15_000 }).toBe('In review');
    await page.getByRole('button', { name: 'Approve deletion…' }).click();
    const dialog = page.getByRole('dialog');
    const confirm = dialog.getByRole('button', { name: /^Delete \d+ rows? and mask \d+ rows?$/u });
    const [, planned, plannedMask] = /^Delete (\d+) rows? and mask (\d+)/u.exec((await confirm.textContent())!)!;
    await confirm.click();
    await expect.poll(status(page), { timeout: 120_000 }).toBe('Closed');
    await expect.poll(async () => page.locator('#plan').textContent(), { timeout: 15_000 }).toMatch(/Deleted rows\s*\d+/u);
    const plan = (await page.locator('#plan').textContent())!;
    const deleted = /Deleted rows\s*(\d+)/u.exec(plan)![1]!;
    const masked = /Masked rows\s*(\d+)/u.exec(plan)![1]!;
    expect([deleted, masked]).toEqual([planned, plannedMask]);
    await expect.poll(async () => page.getByTestId('approved-by').textContent(), { timeout: 15_000 }).toMatch(/^Paul Approver|^paul/u);

    const messages = page.locator('#messages');
    await messages.getByRole('button', { name: 'deletion-result' }).click();
    const frame = page.frameLocator('iframe[title="Message deletion-result as sent"]');
    await expect.poll(async () => frame.locator('body').textContent(), { timeout: 15_000 }).toContain(caseId);
    const mail = (await frame.locator('body').textContent())!;
    console.log(`planned ${planned}/${plannedMask}, executed ${deleted}/${masked}; email: ${mail.replace(/\s+/gu, ' ').slice(0, 400)}`);
    expect(mail).toMatch(new RegExp(`\\b${deleted}\\b`, 'u'));
    expect(mail).toMatch(new RegExp(`\\b${masked}\\b`, 'u'));
    await screenshot(page, 'accounts-approver-executed');
    await page.locator('.card', { has: page.getByRole('heading', { name: 'Sign-off' }) }).scrollIntoViewIfNeeded();
    await viewShot(page, 'accounts-approver-signoff');
    await messages.scrollIntoViewIfNeeded();
    await messages.screenshot({ path: join(SCREENSHOTS, 'accounts-messages-deletion-email.png') });

    // The audit log names each person.
    const timeline = (await page.getByTestId('audit-timeline').textContent())!;
    expect(timeline).toMatch(/ana/u);
    expect(timeline).toMatch(/paul/u);
  });

  it('a restart of web mode keeps the session: a reload after the restart stays signed in', async () => {
    await web.stop();
    web = await start();
    expect(web.origin).toBe(`http://127.0.0.1:${port}`);
    await page.reload();
    await page.getByTestId('signed-in-user').waitFor({ timeout: 15_000 });
    expect(await signedInAs(page)()).toBe('paul · approver');
    await expect.poll(status(page), { timeout: 15_000 }).toBe('Closed');
    await screenshot(page, 'accounts-after-restart');
    await signOut(page);
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in to the staff console' }).waitFor();
  });

  it('signs in with the company account through the local OpenID Connect provider', async () => {
    await page.getByRole('link', { name: 'Sign in with Test IdP' }).click();
    await page.waitForURL((u) => u.origin === idp.issuer, { timeout: 15_000 });
    await page.locator('input[name="login"]').fill('olga.sub-7');
    await page.locator('input[name="password"]').fill('provider-password');
    await screenshot(page, 'accounts-oidc-provider-login');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL((u) => u.origin === web.origin, { timeout: 15_000 });
    await page.getByTestId('signed-in-user').waitFor({ timeout: 15_000 });
    expect(await signedInAs(page)()).toBe('olga · viewer');
    expect(await page.getByTestId('signed-in-user').textContent()).toBe('Olga Ortiz');
    await page.getByRole('heading', { name: 'Queue' }).waitFor();
    await screenshot(page, 'accounts-oidc-signed-in');
    await signOut(page);
  });

  it('an identity the console does not know is refused, and the login page says why', async () => {
    // A new browser profile: the provider must not remember olga's sign-in there.
    await page.context().clearCookies();
    await page.getByRole('link', { name: 'Sign in with Test IdP' }).click();
    await page.waitForURL((u) => u.origin === idp.issuer, { timeout: 15_000 });
    await page.locator('input[name="login"]').fill('someone-else');
    await page.locator('input[name="password"]').fill('provider-password');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL((u) => u.origin === web.origin, { timeout: 15_000 });
    await page.getByRole('heading', { name: 'Sign in to the staff console' }).waitFor();
    expect(await page.locator('.login-note').textContent()).toMatch(/not linked to a PrivacyDesk user/u);
    expect(await page.getByTestId('signed-in-user').count()).toBe(0);
    await screenshot(page, 'accounts-oidc-unknown');
  });
});
