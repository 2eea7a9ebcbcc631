import { describe, it, expect } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_TEMPLATE_DIR, loadTemplate, renderTemplate, SUBJECT_VARS, TEMPLATE_NAMES, templateVars } from '../../../shared/channels/email/templates';
import { LOCALES } from '../../../shared/channels/email/labels';

describe('email templates', () => {
  it('every template loads in every locale and its subject uses no personal information', () => {
    for (const locale of LOCALES) {
      for (const name of TEMPLATE_NAMES) {
        const t = loadTemplate(name, locale);
        expect(templateVars(t.subject).every((v) => SUBJECT_VARS.has(v))).toBe(true);
        expect(t.html.length).toBeGreaterThan(10);
        expect(t.text.length).toBeGreaterThan(10);
      }
    }
  });

  it('escapes variables in HTML, keeps them raw in text, and translates', () => {
    const en = renderTemplate('verification-code', 'en', { businessName: 'A<B>', caseRef: 'PD-1', code: '123456', minutes: '10' });
    expect(en.subject).toBe('Your verification code for request PD-1');
    expect(en.html).toContain('A&lt;B&gt;');
    expect(en.text).toContain('A<B>');
    expect(en.text).toContain('123456');
    const es = renderTemplate('verification-code', 'es', { businessName: 'Acme', caseRef: 'PD-1', code: '123456', minutes: '10' });
    expect(es.subject).toContain('código de verificación');
    expect(es.locale).toBe('es');
    const fallback = renderTemplate('hold-notice', 'es', { businessName: 'Acme', caseRef: 'PD-1', reason: 'r', note: '' });
    expect(fallback.subject).toBe('Your request PD-1 is on hold');
    const denial = renderTemplate('denial', 'es', { businessName: 'Acme', caseRef: 'PD-1', reason: 'r', note: '', appealContact: 'x', appealText: 'apelar', optOutText: '' });
    expect(denial.subject).toBe('Decisión sobre su solicitud PD-1');
  });

  it('names a missing variable', () => {
    expect(() => renderTemplate('acknowledgement', 'en', { businessName: 'A', caseRef: 'PD-1' })).toThrow(/\{\{requestAction\}\}/u);
  });

  it('refuses a template whose subject would carry personal information', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pd-tpl-'));
    mkdirSync(join(dir, 'en'));
    copyFileSync(join(DEFAULT_TEMPLATE_DIR, 'layout.html'), join(dir, 'layout.html'));
    writeFileSync(join(dir, 'en', 'acknowledgement.subject.txt'), 'Hello {{name}} ({{caseRef}})');
    writeFileSync(join(dir, 'en', 'acknowledgement.html'), '<p>x</p>');
    writeFileSync(join(dir, 'en', 'acknowledgement.txt'), 'x');
    expect(() => loadTemplate('acknowledgement', 'en', dir)).toThrow(/subject uses name/u);
  });
});
