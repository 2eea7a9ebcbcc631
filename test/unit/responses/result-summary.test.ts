// The result summary (pure): applied counts only, kept rows grouped by reason, other people's rows
// and rows already gone left out, and the refusals that keep a message claiming an effect from
// going out. And its words in both locales.
import { describe, expect, it } from 'vitest';
import { resultSummary, type AppliedCollection, type KeptKind, type VerificationReport } from '../../../shared/domain/report/result-summary';
import { categoryWords, correctionResultText, deletionResultText, limitResultText, optOutResultText } from '../../../shared/channels/email/result-text';
import { LOCALES } from '../../../shared/channels/email/labels';

const col = (system: string, collection: string, applied: Partial<Record<'deleted' | 'masked' | 'updated', number>>, outcome?: Partial<NonNullable<AppliedCollection['outcome']>> | null): AppliedCollection => ({
  system, dataset: `${system}_db`, collection, deleted: applied.deleted ?? 0, masked: applied.masked ?? 0, updated: applied.updated ?? 0,
  outcome: outcome === null ? null : { planned: { deleted: 99, masked: 99, updated: 99 }, kept: [], categories: [], fields: [], ...outcome },
});
const ok: VerificationReport = { ok: true, remaining: 0, missing: 0, collections: [], errors: [] };
const systems = [
  { name: 'shop', displayName: 'Acme Shop', collections: [{ name: 'customers', optOut: { field: 'dns' }, limit: { field: 'lim' } }, { name: 'orders' }] },
  { name: 'crm', collections: [{ name: 'contacts' }] },
];

describe('resultSummary', () => {
  it('counts what was applied, never what was planned, and groups kept rows by reason', () => {
    const s = resultSummary({ type: 'delete', check: ok, systems, changes: [
      col('shop', 'orders', { deleted: 8 }, { kept: [{ kind: 'exempt', reason: 'tax', rows: 2 }, { kind: 'not_found', reason: 'gone', rows: 9 }] }),
      col('crm', 'contacts', { deleted: 1 }, { kept: [{ kind: 'exempt', reason: 'tax', rows: 1 }, { kind: 'other_person', reason: 'x', rows: 4 }, { kind: 'read_only', reason: 'ro', rows: 1, fields: ['b'] }, { kind: 'key_field', reason: 'k', rows: 1, fields: ['a'] }] }),
      col('shop', 'customers', {}, {}),
    ] });
    expect(s.lines).toEqual([
      { system: 'shop', systemName: 'Acme Shop', collection: 'orders', deleted: 8, masked: 0, updated: 0 },
      { system: 'crm', systemName: 'crm', collection: 'contacts', deleted: 1, masked: 0, updated: 0 },
    ]);
    expect(s.totals).toEqual({ deleted: 9, masked: 0, updated: 0, kept: 5 });
    expect(s.kept).toEqual([
      { kind: 'exempt', reason: 'tax', rows: 3, places: [{ systemName: 'Acme Shop', collection: 'orders' }, { systemName: 'crm', collection: 'contacts' }], fields: [] },
      { kind: 'staff', reason: null, rows: 1, places: [{ systemName: 'crm', collection: 'contacts' }], fields: ['a'] },
      { kind: 'staff', reason: null, rows: 1, places: [{ systemName: 'crm', collection: 'contacts' }], fields: ['b'] },
    ]);
    expect(s).toMatchObject({ verified: true, refusal: null });
  });

  it('a deletion is refused without a check, or with one that did not pass', () => {
    const changes = [col('shop', 'orders', { deleted: 1 })];
    expect(resultSummary({ type: 'delete', check: null, changes }).refusal).toMatch(/^the changes have not been checked/u);
    expect(resultSummary({ type: 'delete_pii', check: null, changes: [] }).refusal).toMatch(/^the changes have not been checked/u);
    const bad: VerificationReport = { ok: false, remaining: 1, missing: 2, errors: [{ system: 'crm', error: 'down' }], collections: [{ system: 'shop', collection: 'orders', remaining: 1, missing: 2, reasons: [] }] };
    expect(resultSummary({ type: 'delete', check: bad, changes }).refusal).toBe(
      'the independent check did not pass (1 row(s) still hold what should be gone; 2 row(s) that should still exist were not found; systems not checked: crm; in shop/orders)');
    // Nothing found, and checked: the summary may say so.
    expect(resultSummary({ type: 'delete', check: ok, changes: [] }).refusal).toBeNull();
  });

  it('opt-out and limit count only updates that wrote the control field', () => {
    const changes = [
      col('shop', 'customers', { updated: 3 }, { fields: ['lim', 'dns'] }),
      col('crm', 'contacts', { updated: 5 }, { fields: ['dns'], kept: [{ kind: 'no_control', reason: 'none', rows: 2 }] }),
    ];
    const opt = resultSummary({ type: 'opt_out', check: ok, changes, systems });
    expect(opt.lines.map((l) => [l.systemName, l.updated])).toEqual([['Acme Shop', 3]]);
    expect(opt.kept).toEqual([]);
    expect(opt.controlMapped).toBe(true);
    // Recorded before outcomes existed: counted when the collection maps the control.
    expect(resultSummary({ type: 'limit', check: ok, changes: [col('shop', 'customers', { updated: 1 }, null)], systems }).lines).toHaveLength(1);
    expect(resultSummary({ type: 'limit', check: ok, changes: [col('shop', 'customers', { updated: 1 }, { fields: ['phone'] })], systems }).refusal)
      .toMatch(/^the limit was not applied in any system/u);
    expect(resultSummary({ type: 'limit', check: ok, changes, systems: [systems[1]!] }).refusal).toMatch(/^no system mapped for limiting/u);
    // An applied limit or opt-out must be checked; an opt-out that changed nothing claims nothing.
    expect(resultSummary({ type: 'limit', check: null, changes, systems }).refusal).toMatch(/^the changes have not been checked/u);
    expect(resultSummary({ type: 'opt_out', check: null, changes, systems }).refusal).toMatch(/^the changes have not been checked/u);
    expect(resultSummary({ type: 'opt_out', check: null, changes: [], systems }).refusal).toBeNull();
    expect(resultSummary({ type: 'opt_out', check: { ...ok, ok: false }, changes: [], systems }).refusal).toMatch(/^the independent check did not pass/u);
  });

  it('a correction that applied nothing is refused; one that did lists the categories written', () => {
    expect(resultSummary({ type: 'correct', check: ok, changes: [col('crm', 'contacts', {}, { categories: ['user.name'] })] }).refusal).toMatch(/^nothing was corrected/u);
    const s = resultSummary({ type: 'correct', check: ok, changes: [col('crm', 'contacts', { updated: 2 }, { categories: ['user.name', 'user.contact.email'] }), col('shop', 'orders', { updated: 1 }, { categories: ['user.name'] })] });
    expect(s.categories).toEqual(['user.contact.email', 'user.name']);
    expect(s.totals.updated).toBe(3);
    expect(s.refusal).toBeNull();
  });
});

describe('result words', () => {
  const kinds: KeptKind[] = ['exempt', 'legal_hold', 'shared', 'other_person', 'read_only', 'key_field', 'skipped', 'no_control', 'not_found'];
  const kept = kinds.flatMap((kind) => [{ kind, reason: 'the reason.', rows: 1 }, { kind, reason: 'the reason', rows: 2, fields: ['a', 'b'] }]);
  const changes = [col('shop', 'customers', { deleted: 1, masked: 2, updated: 3 }, { kept, categories: ['user.contact.email', 'user.name', 'system.operations'], fields: ['dns', 'lim'] })];

  it('every kind reads as a sentence in both locales; the same items in each', () => {
    for (const type of ['delete', 'delete_pii', 'correct', 'limit', 'opt_out'] as const) {
      const s = resultSummary({ type, check: ok, changes, systems });
      const counts = LOCALES.map((locale) => {
        const t = type === 'correct' ? correctionResultText(s, locale) : type === 'limit' ? limitResultText(s, locale) : type === 'opt_out' ? optOutResultText(s, locale) : deletionResultText(s, locale, { processorsTold: true });
        expect(t.text).not.toMatch(/undefined|null|NaN|\.\.|: \./u);
        for (const line of t.text.split('\n').filter((l) => l.startsWith('- '))) expect(line).toMatch(/^- \S.*\.$/u);
        return [t.text.split('\n').filter((l) => l.startsWith('- ')).length, (t.html.match(/<li>/gu) ?? []).length];
      });
      expect(counts[1]).toEqual(counts[0]);
      expect(counts[0]![0]).toBe(counts[0]![1]);
    }
  });

  it('categories in plain words, falling back to the CCPA category', () => {
    expect(categoryWords('user.contact.email', 'en')).toBe('your email address');
    expect(categoryWords('user.contact.address.city', 'es')).toBe('su dirección postal');
    expect(categoryWords('user.genetic', 'en')).toBe('your sensitive personal information');
    expect(categoryWords('user.loyalty_tier', 'es')).toBe('sus datos'); // no catch-all: a category the CCPA table does not map
    expect(categoryWords('user.unique_id.pseudonymous', 'es')).toMatch(/^su/u);
  });

  it('escapes the HTML', () => {
    const s = resultSummary({ type: 'delete', check: ok, changes: [col('shop', '<orders>', { deleted: 1 }, { kept: [{ kind: 'exempt', reason: '<b>tax</b> & co', rows: 1 }] })], systems: [{ name: 'shop', displayName: 'A & B', collections: [] }] });
    const t = deletionResultText(s, 'en', { processorsTold: false });
    expect(t.html).toContain('<li>A &amp; B (&lt;orders&gt;): 1 record deleted.</li>');
    expect(t.html).toContain('kept because the law allows it: &lt;b&gt;tax&lt;/b&gt; &amp; co.');
    expect(t.text).toContain('- 1 record in A & B (<orders>) is kept because the law allows it: <b>tax</b> & co.');
  });
});
