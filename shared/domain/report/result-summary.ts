// What the result message of a deletion, opt-out, correction or limit request may tell the
// consumer: built only from what execution APPLIED (the counts the databases reported) and from
// the independent check of the case, never from the plan or from discovery. Pure; counts, field
// names, categories and reasons only, never a value. The words are the channel's (per locale,
// shared/channels/email/result-text.ts); this module decides what is true and whether a message
// claiming an effect may go out at all (`refusal`).
//
// Lawful and sensible choices (docs/RESPONSES.md "What the result messages say"):
// - rows that belong to another person only (`other_person`) are not the consumer's data: they are
//   never counted or mentioned (telling the consumer how many records of someone else we hold would
//   disclose that person's information);
// - rows that were already gone when execution ran (`not_found`) were neither removed nor kept by
//   us: they are not counted either way;
// - for opt_out / limit, collections without the setting (`no_control`) are not listed: the message
//   names where the choice was applied and claims nothing about the others;
// - a legal hold is described by its basis in fixed words, never by the hold's own text (staff
//   write it, and it may name a matter or another person);
// - a check that ran and did not pass stops every result; a missing check stops every result that
//   states a change (a deletion result always does, "nothing found" included).
import type { CaseType } from '../case';

/**
 * Why something was not changed. `link`: an internal link number (not text) in a join column kept
 * so the remaining rows stay consistent; it leads to nothing personal once the row it points to is
 * erased. Staff see it; the consumer is not told of it (it is no personal detail of theirs).
 */
export type KeptKind = 'exempt' | 'legal_hold' | 'shared' | 'other_person' | 'read_only' | 'key_field' | 'link' | 'skipped' | 'no_control' | 'not_found';

/** What execution recorded for one collection (the store's ChangeCount has this shape). */
export interface AppliedCollection {
  system: string;
  dataset: string;
  collection: string;
  /** Applied counts: rows the database reported changed. */
  deleted: number;
  masked: number;
  updated: number;
  outcome?: {
    planned: { deleted: number; masked: number; updated: number };
    kept: Array<{ kind: KeptKind; reason: string; rows: number; fields?: string[] }>;
    categories: string[];
    fields: string[];
  } | null;
}

/** The independent check of the case (the store's CheckReport has this shape). */
export interface VerificationReport {
  ok: boolean;
  remaining: number;
  missing: number;
  collections: Array<{ system: string; collection: string; remaining: number; missing: number; reasons: string[] }>;
  errors: Array<{ system: string; error: string }>;
}

/** Per registered system: the name the consumer sees and the controls its collections map. */
export interface SystemControls {
  name: string;
  /** The data map's `name`; the system name when absent. */
  displayName?: string;
  collections: Array<{ name: string; optOut?: { field: string } | null; limit?: { field: string } | null }>;
}

/** One collection where something was applied. */
export interface ResultLine { system: string; systemName: string; collection: string; deleted: number; masked: number; updated: number }

/** How kept rows are worded to the consumer (read_only and key_field read the same). */
export type KeptGroupKind = 'exempt' | 'legal_hold' | 'shared' | 'staff' | 'skipped' | 'no_control';

/** Kept rows with one reason (and the same kept fields, or whole rows), over every place they are in. */
export interface KeptGroup {
  kind: KeptGroupKind;
  /** The exemption's own words (`exempt` only); null for kinds worded by the channel. */
  reason: string | null;
  rows: number;
  places: Array<{ systemName: string; collection: string }>;
  /** Fields that were kept when only some fields of the rows were; empty: the whole rows. */
  fields: string[];
}

export interface ResultSummary {
  type: CaseType;
  /** Collections where changes were applied (for opt_out / limit: where the control was set). */
  lines: ResultLine[];
  /** Sums of the applied counts of `lines`; `kept` sums the kept groups' rows. */
  totals: { deleted: number; masked: number; updated: number; kept: number };
  kept: KeptGroup[];
  /** fideslang categories the applied changes wrote (what a correction changed). */
  categories: string[];
  /** opt_out / limit: whether any registered collection maps the control at all. */
  controlMapped: boolean;
  /** The independent check is recorded and passed. */
  verified: boolean;
  /** Set when no message claiming an effect may go out: why (for staff; no PII). */
  refusal: string | null;
}

const KEPT_GROUP: Record<Exclude<KeptKind, 'other_person' | 'not_found' | 'link'>, KeptGroupKind> = {
  exempt: 'exempt', legal_hold: 'legal_hold', shared: 'shared', read_only: 'staff', key_field: 'staff', skipped: 'skipped', no_control: 'no_control',
};
const KEPT_ORDER: KeptGroupKind[] = ['exempt', 'legal_hold', 'shared', 'staff', 'skipped', 'no_control'];

const sum = <T>(xs: T[], f: (x: T) => number) => xs.reduce((n, x) => n + f(x), 0);
const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function checkProblem(check: VerificationReport | null): string | null {
  if (!check) return 'the changes have not been checked (no verification is recorded for the case)';
  if (check.ok) return null;
  const parts: string[] = [];
  if (check.remaining) parts.push(`${check.remaining} row(s) still hold what should be gone`);
  if (check.missing) parts.push(`${check.missing} row(s) that should still exist were not found`);
  if (check.errors.length) parts.push(`systems not checked: ${[...new Set(check.errors.map((e) => e.system))].sort(byName).join(', ')}`);
  const where = check.collections.filter((c) => c.remaining || c.missing).map((c) => `${c.system}/${c.collection}`);
  if (where.length) parts.push(`in ${where.join(', ')}`);
  return `the independent check did not pass${parts.length ? ` (${parts.join('; ')})` : ''}`;
}

/**
 * The result summary of a case from its applied changes and its check. `systems` gives display
 * names and, for opt_out / limit, which collections map the control (a collection recorded without
 * an outcome counts for the control when its data map maps one).
 */
export function resultSummary(input: { type: CaseType; changes: readonly AppliedCollection[]; check: VerificationReport | null; systems?: readonly SystemControls[] }): ResultSummary {
  const { type, check } = input;
  const systems = new Map((input.systems ?? []).map((s) => [s.name, s]));
  const display = (system: string) => systems.get(system)?.displayName?.trim() || system;
  const control = type === 'opt_out' ? 'optOut' : type === 'limit' ? 'limit' : null;
  const controlField = (system: string, collection: string): string | null => {
    if (!control) return null;
    return systems.get(system)?.collections.find((c) => c.name === collection)?.[control]?.field ?? null;
  };

  const lines: ResultLine[] = [];
  const groups = new Map<string, KeptGroup>();
  const categories = new Set<string>();
  for (const c of input.changes) {
    let { deleted, masked, updated } = c;
    if (control) {
      // Only the control's own field counts: an update that did not write it set nothing the consumer asked for.
      const field = controlField(c.system, c.collection);
      const wrote = !!field && (c.outcome ? c.outcome.fields.includes(field) : true);
      deleted = 0; masked = 0; updated = wrote ? c.updated : 0;
    }
    const systemName = display(c.system);
    if (deleted + masked + updated > 0) {
      lines.push({ system: c.system, systemName, collection: c.collection, deleted, masked, updated });
      for (const cat of c.outcome?.categories ?? []) categories.add(cat);
    }
    for (const k of c.outcome?.kept ?? []) {
      if (k.kind === 'other_person' || k.kind === 'not_found' || k.kind === 'link' || k.rows <= 0) continue;
      // A collection without the setting is not where an opt-out or limit is applied: the message names where it was.
      if (control && k.kind === 'no_control') continue;
      const kind = KEPT_GROUP[k.kind];
      const reason = kind === 'exempt' ? k.reason.trim() : null;
      const fields = [...new Set(k.fields ?? [])].sort(byName);
      // Whole rows and some fields of rows are told apart, so are different sets of fields.
      const key = JSON.stringify([kind, reason ?? '', fields]);
      const g = groups.get(key) ?? { kind, reason, rows: 0, places: [], fields };
      g.rows += k.rows;
      if (!g.places.some((p) => p.systemName === systemName && p.collection === c.collection)) g.places.push({ systemName, collection: c.collection });
      groups.set(key, g);
    }
  }
  lines.sort((a, b) => byName(a.systemName, b.systemName) || byName(a.collection, b.collection));
  const kept = [...groups.values()]
    .map((g) => ({ ...g, places: [...g.places].sort((a, b) => byName(a.systemName, b.systemName) || byName(a.collection, b.collection)) }))
    .sort((a, b) => KEPT_ORDER.indexOf(a.kind) - KEPT_ORDER.indexOf(b.kind) || byName(a.reason ?? '', b.reason ?? '') || a.fields.length - b.fields.length || byName(a.fields.join(','), b.fields.join(',')));
  const totals = { deleted: sum(lines, (l) => l.deleted), masked: sum(lines, (l) => l.masked), updated: sum(lines, (l) => l.updated), kept: sum(kept, (g) => g.rows) };
  const controlMapped = !!control && [...systems.values()].some((s) => s.collections.some((c) => !!c[control]?.field));
  const applied = totals.deleted + totals.masked + totals.updated;
  const problem = checkProblem(check);

  let refusal: string | null = null;
  switch (type) {
    case 'delete':
    case 'delete_pii':
      if (problem) refusal = problem;
      break;
    case 'correct':
      if (check && !check.ok) refusal = problem;
      else if (!applied) refusal = 'nothing was corrected: no record was updated in any system; staff must handle the correction';
      else if (problem) refusal = problem;
      break;
    case 'limit':
      if (check && !check.ok) refusal = problem;
      else if (!controlMapped) refusal = 'no system mapped for limiting (no collection of the data map has a limit control): staff must handle the request';
      else if (!applied) refusal = 'the limit was not applied in any system (no record of the consumer was updated in the collections mapped for limiting): staff must handle the request';
      else if (problem) refusal = problem;
      break;
    case 'opt_out':
      // Nothing applied: the message claims no change (the opt-out is recorded), so no check is needed for it.
      if (check && !check.ok) refusal = problem;
      else if (applied && problem) refusal = problem;
      break;
    case 'access':
      break;
    default: {
      const never: never = type;
      throw new Error(`no result summary for case type ${String(never)}`);
    }
  }
  return { type, lines, totals, kept, categories: [...categories].sort(byName), controlMapped, verified: !!check?.ok, refusal };
}
