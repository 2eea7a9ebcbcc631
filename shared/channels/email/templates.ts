// Email templates in files: templates/<locale>/<name>.subject.txt | .html | .txt, falling back to
// English when a locale lacks a file. {{var}} is escaped in HTML, {{{var}}} inserts trusted HTML
// built by code. Subjects may only use SUBJECT_VARS (never PII): checked when a template loads.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { escapeHtml } from '../../domain/report/report-html';
import { footerText, type Locale } from './labels';

export const TEMPLATE_NAMES = [
  'acknowledgement', 'verification-code', 'extension-notice', 'hold-notice', 'denial', 'access-report',
  'deletion-result', 'opt-out-confirmation', 'request-result', 'processor-deletion-notice', 'processor-reminder', 'processor-request-notice', 'processor-request-reminder',
  'staff-verification-locked', 'due-soon', 'appeal-granted', 'appeal-upheld', 'appeal-extension',
] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

/** The only variables a subject line may contain: none of them is personal information. */
export const SUBJECT_VARS: ReadonlySet<string> = new Set(['caseRef', 'businessName']);

export const DEFAULT_TEMPLATE_DIR = join(dirname(fileURLToPath(import.meta.url)), 'templates');

export interface EmailTemplate { name: TemplateName; locale: Locale; subject: string; html: string; text: string }
export interface RenderedEmail { subject: string; html: string; text: string; locale: Locale }

const VAR_RE = /\{\{\{?\s*([A-Za-z][A-Za-z0-9_]*)\s*\}?\}\}/gu;

export function templateVars(source: string): string[] {
  return [...source.matchAll(VAR_RE)].map((m) => m[1]!);
}

const cache = new Map<string, EmailTemplate>();

export function loadTemplate(name: TemplateName, locale: Locale, dir = DEFAULT_TEMPLATE_DIR): EmailTemplate {
  const key = `${dir}|${locale}|${name}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const read = (ext: string): string => {
    for (const loc of [locale, 'en']) {
      const file = join(dir, loc, `${name}.${ext}`);
      if (existsSync(file)) return readFileSync(file, 'utf8');
    }
    throw new Error(`email template "${name}" has no ${ext} file (looked in ${locale} and en)`);
  };
  const subject = read('subject.txt').trim();
  if (/[\r\n]/u.test(subject)) throw new Error(`email template "${name}" (${locale}): the subject must be one line`);
  const bad = templateVars(subject).filter((v) => !SUBJECT_VARS.has(v));
  if (bad.length) throw new Error(`email template "${name}" (${locale}): subject uses ${bad.join(', ')}; subjects may only use ${[...SUBJECT_VARS].join(', ')} (no personal information in subjects)`);
  const t: EmailTemplate = { name, locale, subject, html: read('html'), text: read('txt') };
  cache.set(key, t);
  return t;
}

function fill(source: string, vars: Record<string, string>, html: boolean, template: string): string {
  return source.replace(VAR_RE, (whole, name: string) => {
    const v = vars[name];
    if (v === undefined) throw new Error(`email template "${template}": no value for {{${name}}}`);
    const raw = whole.startsWith('{{{');
    return html && !raw ? escapeHtml(v) : v;
  });
}

function layout(dir: string): string {
  const key = `${dir}|layout`;
  const hit = cache.get(key);
  if (hit) return hit.html;
  const html = readFileSync(join(dir, 'layout.html'), 'utf8');
  cache.set(key, { name: 'acknowledgement', locale: 'en', subject: '', html, text: '' });
  return html;
}

/** Render a template with its variables; every {{var}} must be given (a missing one throws, naming it). */
export function renderTemplate(name: TemplateName, locale: Locale, vars: Record<string, string>, dir = DEFAULT_TEMPLATE_DIR): RenderedEmail {
  const t = loadTemplate(name, locale, dir);
  const all = { footer: footerText(t.locale), locale: t.locale, ...vars };
  const content = fill(t.html, all, true, name);
  return {
    subject: fill(t.subject, all, false, name),
    html: fill(layout(dir), { ...all, content }, true, 'layout'),
    text: fill(t.text, all, false, name).replace(/\n{3,}/gu, '\n\n'),
    locale: t.locale,
  };
}
