// Renders the access report HTML in Chromium (playwright-core, /usr/bin/chromium), saves a PNG to
// test/e2e/screenshots/ for a person to look at, and checks what a reader sees: every CCPA category,
// the systems, the withheld-row note, no script, nothing wider than the page; the demo shop's report
// as the consumer reads it (labels, formatted values), printed (print media), in Spanish, and the
// email that carries it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { buildAccessReport, CCPA_CATEGORIES, reportEmailSummary, reportHtml } from '../../shared/domain/report';
import { escapeHtml } from '../../shared/domain/report/report-html';
import { renderTemplate } from '../../shared/channels/email/templates';
import { reportDelivery, reportScopeText } from '../../shared/channels/email/labels';
import { sampleDiscovery, generatedDiscovery } from '../support/responses-discovery';
import { annDiscovery, demoMap, demoReportOptions } from '../support/demo-shop-report';

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
    expect(await page.locator('h2').allInnerTexts()).toEqual(['What we hold about you', 'Categories of personal information', 'Sold, shared or disclosed for a business purpose']);
    expect(await page.locator('h3').allInnerTexts()).toEqual(['crm', 'hr', 'shop']);
    expect(text).toContain('Analytics Co');
    expect(text).toContain('=HYPERLINK("x")'); // shown as text, never run
    expect(text).toContain('1 record also concerns another person');
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
    expect(await page.locator('h2').allInnerTexts()).toEqual(['What we hold about you', 'Categories of personal information', 'Sold, shared or disclosed for a business purpose']);
    await page.close();
  });

  it('renders a 10k-row report', async () => {
    const report = buildAccessReport(generatedDiscovery('PD-20260302-BIG001', 10_000, 10), { businessName: 'Acme', generatedAt: '2026-03-10T12:00:00.000Z' });
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    await page.setContent(reportHtml(report), { waitUntil: 'load' });
    const pieces = report.systems.reduce((n, sys) => n + sys.collections.reduce((m, c) => m + c.rows.reduce((k, r) => k + Object.values(r.values).filter((v) => v !== null && v !== '').length, 0), 0), 0);
    expect(await page.locator('tbody tr').count()).toBe(12 + report.disclosed.length + pieces);
    expect(await page.locator('table.record').count()).toBe(10_000);
    await page.screenshot({ path: join(SHOTS, 'access-report-10k-top.png') });
    await page.close();
  });

  it('the demo shop report as the consumer reads it: labels, amounts, dates; on screen, printed and in Spanish', async () => {
    const report = buildAccessReport(annDiscovery(), demoReportOptions());
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    await page.setContent(reportHtml(report), { waitUntil: 'load' });
    await page.screenshot({ path: join(SHOTS, 'access-report-demo.png'), fullPage: true });
    const text = await page.locator('body').innerText();
    for (const c of demoMap.collections) for (const f of c.fields) expect(text).not.toContain(`${c.name}.${f.name}`);
    expect(text).not.toContain('total_cents');
    expect(text).toContain('$42.50');
    expect(text).toMatch(/July 14, 2024(,| at) 2:00\s?AM PDT/u);
    expect(await page.locator('h1').count()).toBe(1);
    expect(await page.locator('h3').allInnerTexts()).toEqual(['Demo shop']);
    expect(await page.locator('table.record caption').first().innerText()).toBe('Record 1 of 1');
    // §1798.115: per category held, sold / shared / disclosed for a business purpose and to whom (the map's transfers).
    const disclosed = page.locator('table.disclosed');
    await disclosed.scrollIntoViewIfNeeded();
    await disclosed.screenshot({ path: join(SHOTS, 'access-report-disclosed.png') });
    expect(await disclosed.locator('thead th').allInnerTexts()).toEqual(['Cat.', 'Category', 'Sold to', 'Shared for cross-context behavioral advertising with', 'Disclosed for a business purpose to']);
    expect(await disclosed.locator('tbody tr').count()).toBe(report.disclosed.length);
    const first = disclosed.locator('tbody tr').first();
    expect((await first.locator('td, th').allInnerTexts()).slice(0, 4)).toEqual(['A', 'Identifiers', 'Not sold', 'Not shared']);
    expect(await first.locator('td').last().locator('.tag').allInnerTexts()).toEqual(['Delivery services', 'Payment processors']);
    expect(await disclosed.locator('tbody tr', { hasText: 'Sensitive personal information' }).innerText()).toContain('Payment processors');
    expect(await disclosed.locator('tbody tr', { hasText: 'Sensitive personal information' }).innerText()).not.toContain('Delivery services');
    // Printed: one clean document (no sideways scroll boxes, nothing cut off at the right edge).
    await page.emulateMedia({ media: 'print' });
    await page.setViewportSize({ width: 794, height: 1123 });
    await page.screenshot({ path: join(SHOTS, 'access-report-print.png'), fullPage: true });
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    expect(await page.evaluate(() => [...document.querySelectorAll('.scroll')].every((e) => getComputedStyle(e).overflowX === 'visible'))).toBe(true);
    const pdf = await page.pdf({ format: 'A4', printBackground: false });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    // The staff copy prints as the consumer's: the data-map names are screen-only.
    await page.setContent(reportHtml(report, { audience: 'staff' }), { waitUntil: 'load' });
    expect(await page.locator('body').innerText()).not.toContain('orders.total_cents');
    await page.emulateMedia({ media: 'screen' });
    expect(await page.locator('body').innerText()).toContain('orders.total_cents');
    await page.screenshot({ path: join(SHOTS, 'access-report-staff.png'), fullPage: false });
    const es = buildAccessReport(annDiscovery(), demoReportOptions({ locale: 'es', timeZone: 'Europe/Madrid' }));
    await page.setContent(reportHtml(es), { waitUntil: 'load' });
    await page.screenshot({ path: join(SHOTS, 'access-report-es.png'), fullPage: false });
    expect(await page.locator('h2').allInnerTexts()).toEqual(['Qué tenemos sobre usted', 'Categorías de información personal', 'Vendida, compartida o comunicada con un fin empresarial']);
    await page.close();
  });

  it('the email that carries the report: heading, what we hold per system, readable at phone width', async () => {
    const report = buildAccessReport(annDiscovery(), demoReportOptions());
    const summary = reportEmailSummary(report);
    const d = reportDelivery('en', null);
    const mail = renderTemplate('access-report', 'en', {
      businessName: 'Acme Outdoor', caseRef: report.caseId, scopeText: reportScopeText(report.scope, 'en'),
      delivery: d.text, deliveryHtml: d.html(escapeHtml), summary: summary.text, summaryHtml: summary.html,
    });
    const page = await browser.newPage({ viewport: { width: 700, height: 800 } });
    await page.setContent(mail.html, { waitUntil: 'load' });
    await page.screenshot({ path: join(SHOTS, 'access-report-email.png'), fullPage: true });
    expect(await page.locator('h1').innerText()).toBe('Your personal information report');
    expect(await page.locator('h2').innerText()).toBe('What we hold about you');
    expect(await page.locator('li').first().innerText()).toMatch(/^Demo shop: Identifiers, Customer records/u);
    expect(await page.locator('img').count()).toBe(0);
    await page.setViewportSize({ width: 390, height: 800 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    await page.close();
  });
});
