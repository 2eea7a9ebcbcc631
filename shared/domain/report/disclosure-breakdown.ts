// Sold, shared and disclosed for a business purpose, per CCPA category (Cal. Civ. Code
// §1798.110(c)(4)-(5), §1798.115(a)(2)-(3), (c)): what a system declares it does with its personal
// information (`transfers`, each kind with the categories of recipients, optionally limited to some
// of the system's CCPA letters), folded into one line per category the report found. Pure.
// A system declared as disclosing to no one (`thirdParties: []`) sells, shares and discloses nothing;
// a system naming third parties without itemising them leaves its categories `itemised: false`, and
// the report says so (the recipients, not a "No" it cannot vouch for).
import { z } from 'zod';
import { CCPA_LETTERS, type CcpaCategory } from './ccpa-categories';

export const TRANSFER_KINDS = ['sold', 'shared', 'business_purpose'] as const;
/** sold (§1798.140(ad)); shared for cross-context behavioural advertising (§1798.140(ah)); disclosed for a business purpose (§1798.140(e)). */
export type TransferKind = (typeof TRANSFER_KINDS)[number];

/** One kind of transfer a system declares: to which categories of recipients, for which of its CCPA categories. */
export interface DisclosureTransfer {
  kind: TransferKind;
  /** Categories of recipients ("Advertising networks", "Delivery services"); at least one. */
  recipients: string[];
  /** The system's CCPA letters this concerns; omitted or empty: every category the system holds. */
  categories?: CcpaCategory[];
}

/** A declared transfer at every boundary (contract, store, data map). */
export const DisclosureTransferSchema = z.object({
  kind: z.enum(TRANSFER_KINDS),
  recipients: z.array(z.string().trim().min(1).max(200)).min(1, 'transfers: name at least one category of recipients').max(50),
  categories: z.array(z.enum(CCPA_LETTERS as [CcpaCategory, ...CcpaCategory[]])).max(12).optional(),
}).strict();
/** `transfers`: null or omitted = not itemised; [] = not sold, not shared, not disclosed for a business purpose. */
export const DisclosureTransfersSchema = z.array(DisclosureTransferSchema).max(30).nullable().optional();

/** One collected category's line in the report. */
export interface DisclosedCategory {
  letter: CcpaCategory;
  label: string;
  /** Categories of recipients it was sold to (empty: not sold). */
  sold: string[];
  /** Categories of recipients it was shared with for cross-context behavioural advertising (empty: not shared). */
  shared: string[];
  /** Categories of recipients it was disclosed to for a business purpose (empty: not disclosed). */
  businessPurpose: string[];
  /** False when a system holding it names third parties without saying which of the three applies. */
  itemised: boolean;
  /** Those systems' declared third parties (only when not itemised). */
  unitemisedRecipients: string[];
  systems: string[];
}

export interface BreakdownSystem {
  system: string;
  categories: CcpaCategory[];
  declared: boolean;
  thirdParties: string[];
  transfers: DisclosureTransfer[] | null;
}

const uniqSorted = (xs: Iterable<string>): string[] => [...new Set(xs)].sort((a, b) => a.localeCompare(b));

export function disclosureBreakdown(systems: BreakdownSystem[], labelOf: (l: CcpaCategory) => string): DisclosedCategory[] {
  const acc = new Map<CcpaCategory, { sold: Set<string>; shared: Set<string>; bp: Set<string>; itemised: boolean; loose: Set<string>; systems: Set<string> }>();
  for (const s of systems) {
    for (const letter of s.categories) {
      let a = acc.get(letter);
      if (!a) { a = { sold: new Set(), shared: new Set(), bp: new Set(), itemised: true, loose: new Set(), systems: new Set() }; acc.set(letter, a); }
      a.systems.add(s.system);
      if (!s.transfers) {
        // Not itemised: fully known only when declared as disclosed to no one.
        if (!s.declared || s.thirdParties.length) { a.itemised = false; s.thirdParties.forEach((t) => a.loose.add(t)); }
        continue;
      }
      for (const t of s.transfers) {
        if (t.categories?.length && !t.categories.includes(letter)) continue;
        const into = t.kind === 'sold' ? a.sold : t.kind === 'shared' ? a.shared : a.bp;
        t.recipients.forEach((r) => into.add(r));
      }
    }
  }
  return CCPA_LETTERS.filter((l) => acc.has(l)).map((letter) => {
    const a = acc.get(letter)!;
    return {
      letter, label: labelOf(letter), sold: uniqSorted(a.sold), shared: uniqSorted(a.shared), businessPurpose: uniqSorted(a.bp),
      itemised: a.itemised, unitemisedRecipients: a.itemised ? [] : uniqSorted(a.loose), systems: uniqSorted(a.systems),
    };
  });
}
