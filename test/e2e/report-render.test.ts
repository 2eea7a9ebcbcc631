// Renders the access report HTML in Chromium (playwright-core, /usr/bin/chromium), saves a PNG to
// test/e2e/screenshots/ for a person to look at, and checks what a reader sees: every CCPA category,
// the systems, the withheld-row note, no script, nothing wider than the page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { buildAccessReport, CCPA_CATEGORIES, reportHtml } from '../../shared/domain/report';
import { sampleDiscovery, generatedDiscovery } from '../support/responses-discovery';

const SHOTS = join(process.cwd(), 'test', 'e2e', 'screenshots');
const executablePath = process.env.CHROMIUM_PATH ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
let browser: Browser;

beforeAll(async () => {
  if (!executablePath) throw new Error('Chromium not found: install it (apt-get install chromium) or set CHROMIUM_PATH');
  browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
  mkdirSync(SHOTS, { recursive: true });
});
afterAll(async () => { await browser?.close(); });

const disclosures = [
  { system: 'crm', sources: ['You (sign-up form)', 'Customer service calls'], purposes: ['Customer support', 'Account management'], thirdParties: ['Mailer Inc. (email delivery)'] },
  { system: 'shop', sources: ['You (purchases)', 'Our website (cookies)'], purposes: ['Order fulfilment', 'Fraud prevention', 'Marketing'], thirdParties: ['Analytics Co', 'Payment processor'] },
  { system: 'hr', sources: ['Your job application'], purposes: ['Recruiting'], thirdParties: [] },
];

describe('access report in Chromium', () => {
  it('shows every category, the sources/purposes/third parties and the specific pieces', async () => {
    const report = buildAccessReport(sampleDiscovery('PD-20260302-ABCDEF'), {
      businessName: 'Acme Outdoor Co.', generatedAt: '2026-03-10T12:00:00.000Z', receivedAt: '2026-03-02T15:00:00.000Z', disclosures,
    });
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    await page.setContent(reportHtml(report), { waitUntil: 'load' });
    await page.screenshot({ path: join(SHOTS, 'access-report.png'), fullPage: true });
    const text = await page.locator('body').innerText();
    for (const label of Object.values(CCPA_CATEGORIES)) expect(text).toContain(label);
    expect(await page.locator('h2').allInnerTexts()).toEqual(['Categories of personal information', 'Sources, purposes and third parties', 'Specific pieces of information']);
    expect(await page.locator('h3').allInnerTexts()).toEqual(['crm', 'hr', 'shop']);
    expect(text).toContain('Analytics Co');
    expect(text).toContain('=HYPERLINK("x")'); // shown as text, never run
    expect(text).toContain('1 record(s) also concern another person');
    expect(await page.locator('script').count()).toBe(0);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    // Phone width: still no sideways scrolling of the page (wide tables scroll inside their box).
    await page.setViewportSize({ width: 390, height: 800 });
    await page.screenshot({ path: join(SHOTS, 'access-report-phone.png'), fullPage: false });
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    await page.close();
  });

  it('categories-only report (reasonable tier) shows where, not what', async () => {
    const report = buildAccessReport(sampleDiscovery('PD-20260302-ABCDEF'), {
      businessName: 'Acme Outdoor Co.', generatedAt: '2026-03-10T12:00:00.000Z', disclosures, includePieces: false,
    });
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    await page.setContent(reportHtml(report), { waitUntil: 'load' });
    await page.screenshot({ path: join(SHOTS, 'access-report-categories.png'), fullPage: true });
    const text = await page.locator('body').innerText();
    expect(text).toContain('To receive the specific pieces of information');
    expect(text).not.toContain('jane.doe@example.com');
    expect(await page.locator('h2').allInnerTexts()).toEqual(['Categories of personal information', 'Sources, purposes and third parties', 'Where we hold it']);
    await page.close();
  });

  it('renders a 10k-row report', async () => {
    const report = buildAccessReport(generatedDiscovery('PD-20260302-BIG001', 10_000, 10), { businessName: 'Acme', generatedAt: '2026-03-10T12:00:00.000Z' });
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    await page.setContent(reportHtml(report), { waitUntil: 'load' });
    expect(await page.locator('tbody tr').count()).toBe(12 + 2 + 10_000);
    await page.screenshot({ path: join(SHOTS, 'access-report-10k-top.png') });
    await page.close();
  });
});
