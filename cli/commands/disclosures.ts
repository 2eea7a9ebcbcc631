// privacy-desk disclosures set --system S [--source X]... [--purpose Y]... [--third-party Z]...
//   [--sold R[:A,B]]... [--shared R[:A,B]]... [--business-purpose R[:A,B]]... [--none-sold-shared-disclosed] | list
// What the access report says per system: where the information came from, why it is used, who gets it,
// and (CCPA §1798.115) to which categories of recipients it is sold, shared or disclosed for a business
// purpose: R a category of recipients, optionally limited to some of the system's CCPA letters after ':'.
import type { CommandGroup } from '../command';
import { UsageError } from '../command';
import { openApp } from '../open-app';
import { json, parse } from '../args';
import { CCPA_LETTERS, type CcpaCategory } from '../../shared/domain/report/ccpa-categories';
import type { DisclosureTransfer, TransferKind } from '../../shared/domain/report/disclosure-breakdown';

/** "Advertising networks:A,F" -> one transfer of that kind to that recipient category, for letters A and F. */
function transfersOf(kind: TransferKind, specs: string[] | undefined): DisclosureTransfer[] {
  return (specs ?? []).map((spec) => {
    const at = spec.lastIndexOf(':');
    const tail = at < 0 ? '' : spec.slice(at + 1);
    const listed = /^\s*[A-Za-z](\s*,\s*[A-Za-z])*\s*$/u.test(tail);
    const letters = listed ? tail.split(',').map((l) => l.trim().toUpperCase() as CcpaCategory) : [];
    if (letters.some((l) => !CCPA_LETTERS.includes(l))) throw new UsageError(`--${kind.replace('_', '-')} ${spec}: the CCPA letters after ':' are A to L`);
    const recipient = (listed ? spec.slice(0, at) : spec).trim();
    if (!recipient) throw new UsageError(`--${kind.replace('_', '-')} ${spec}: name the category of recipients`);
    return { kind, recipients: [recipient], ...(letters.length ? { categories: letters } : {}) };
  });
}

const KIND_WORDS: Record<TransferKind, string> = { sold: 'sold to', shared: 'shared with', business_purpose: 'disclosed for a business purpose to' };

const meta = { actor: process.env.PRIVACY_DESK_USER ? `staff:${process.env.PRIVACY_DESK_USER}` : 'cli' };

export const disclosures: CommandGroup = {
  set: async (argv, globals, io) => {
    const { values } = parse(argv, {
      system: { type: 'string' }, source: { type: 'string', multiple: true }, purpose: { type: 'string', multiple: true },
      'third-party': { type: 'string', multiple: true },
      sold: { type: 'string', multiple: true }, shared: { type: 'string', multiple: true }, 'business-purpose': { type: 'string', multiple: true },
      'none-sold-shared-disclosed': { type: 'boolean' },
    }, false);
    const transfers = [...transfersOf('sold', values.sold), ...transfersOf('shared', values.shared), ...transfersOf('business_purpose', values['business-purpose'])];
    if (transfers.length && values['none-sold-shared-disclosed']) throw new UsageError('--none-sold-shared-disclosed with --sold / --shared / --business-purpose');
    const itemised = transfers.length || values['none-sold-shared-disclosed'] ? { transfers } : {};
    if (!values.system) throw new UsageError('--system is required');
    const app = await openApp(globals, { runEngine: false });
    try {
      const d = await app.call('disclosures.set', { system: values.system, sources: values.source ?? [], purposes: values.purpose ?? [], thirdParties: values['third-party'] ?? [], ...itemised }, meta);
      io.stdout(`${d.system}: ${d.sources.length} source(s), ${d.purposes.length} purpose(s), ${d.thirdParties.length} third part(ies)${d.transfers ? `, ${d.transfers.length} sold/shared/business-purpose declaration(s)` : ''}\n`);
      return 0;
    } finally { await app.close(); }
  },
  list: async (argv, globals, io) => {
    const { values } = parse(argv, { json: { type: 'boolean' } }, false);
    const app = await openApp(globals, { runEngine: false });
    try {
      const list = await app.call('disclosures.list', {}, meta);
      if (values.json) io.stdout(json(list));
      else for (const d of list) io.stdout(`${d.system}\n  sources: ${d.sources.join('; ') || '-'}\n  purposes: ${d.purposes.join('; ') || '-'}\n  third parties: ${d.thirdParties.join('; ') || '-'}\n`
        + `  sold / shared / business purpose: ${d.transfers ? d.transfers.map((t) => `${KIND_WORDS[t.kind]} ${t.recipients.join(', ')}${t.categories?.length ? ` (${t.categories.join(',')})` : ''}`).join('; ') || 'none' : 'not itemised'}\n`);
      return 0;
    } finally { await app.close(); }
  },
};
export default disclosures;
