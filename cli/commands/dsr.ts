// privacy-desk dsr access|delete|delete_pii|opt_out|correct --email E [--phone P] [--custom-key NAME=VALUE]
//   [--strategy exact|connected_pii] [--categories a,b] [--set CATEGORY=VALUE (correct)] [--jurisdiction CA]
//   [--signed-name NAME --signed-on YYYY-MM-DD] [--dry-run] [--json]
// Creates a case, records staff attestation as the verification (with --signed-name/--signed-on: the
// consumer's signed declaration stored with the case and 3 data points, the high level a deletion
// of sensitive personal information needs, 11 CCR §7062(d)), runs it through the case machine
// with automatic approval and prints the result contract (docs/DATAMAP.md). --dry-run computes the
// plan and changes nothing (no case either). Exit: 0 ran, 1 a system failed, 2 bad input.
import type { CommandFn, CommandGroup, CliIO } from '../command';
import { UsageError } from '../command';
import { json, parse } from '../args';
import { categoriesFrom, cliMeta, identitiesFrom, StrategyArg } from '../datamap-args';
import { openApp } from '../open-app';
import type { ContractOutput } from '../../shared/app/datamap/service';
import { JurisdictionSchema } from '../../shared/domain/case';

type DsrType = 'access' | 'delete' | 'delete_pii' | 'opt_out' | 'correct';

function print(io: CliIO, out: ContractOutput, asJson: boolean): void {
  if (asJson) { io.stdout(json(out)); return; }
  io.stdout(`${out.caseId ?? '(dry run)'}  ${out.status}\n`);
  for (const [k, rows] of Object.entries(out.results ?? {})) io.stdout(`  ${k}: ${rows.length} row(s)\n`);
  for (const [k, c] of Object.entries(out.changes ?? {})) io.stdout(`  ${k}: deleted ${c.deleted}, masked ${c.masked}${c.updated ? `, updated ${c.updated}` : ''}\n`);
  if (out.review.length) io.stdout(`  review: ${out.review.length} shared row(s) kept for a decision\n`);
  if (out.exempt.length) io.stdout(`  exempt: ${out.exempt.length} row(s) kept\n`);
  for (const e of out.errors) io.stdout(`  error: ${e.system}: ${e.error}\n`);
}

function command(type: DsrType): CommandFn {
  return async (argv, globals, io) => {
    const { values } = parse(argv, {
      email: { type: 'string' }, phone: { type: 'string' }, 'custom-key': { type: 'string', multiple: true },
      strategy: { type: 'string' }, categories: { type: 'string' }, jurisdiction: { type: 'string' },
      'dry-run': { type: 'boolean' }, json: { type: 'boolean' }, set: { type: 'string', multiple: true },
      'signed-name': { type: 'string' }, 'signed-on': { type: 'string' },
    }, false);
    const signedName = values['signed-name']?.trim();
    const signedOn = values['signed-on'];
    if ((signedName === undefined) !== (signedOn === undefined)) throw new UsageError('--signed-name and --signed-on: give both (the signed declaration stored with the case)');
    if (signedOn !== undefined && !/^\d{4}-\d{2}-\d{2}$/u.test(signedOn)) throw new UsageError('--signed-on: expected YYYY-MM-DD');
    const identities = identitiesFrom(values);
    const strategy = StrategyArg.safeParse(values.strategy ?? 'exact');
    if (!strategy.success) throw new UsageError('--strategy: must be exact or connected_pii');
    const jurisdiction = JurisdictionSchema.safeParse(values.jurisdiction ?? 'CA');
    if (!jurisdiction.success) throw new UsageError('--jurisdiction: unknown jurisdiction (CA, VA, CO, EU, ...)');
    const categories = categoriesFrom(values.categories);
    if (categories && type !== 'delete_pii') throw new UsageError('--categories: only for delete_pii');
    if (values.set && type !== 'correct') throw new UsageError('--set: only for correct');
    let corrections: Record<string, string> | undefined;
    if (type === 'correct') {
      if (!values.set?.length) throw new UsageError('--set CATEGORY=VALUE is required for correct (e.g. --set user.contact.phone_number=+14155550199)');
      corrections = {};
      for (const kv of values.set) {
        const i = kv.indexOf('=');
        const cat = i > 0 ? kv.slice(0, i).trim() : '';
        if (!categoriesFrom(cat)) throw new UsageError('--set: expected CATEGORY=VALUE');
        if (kv.length - i - 1 > 1000) throw new UsageError('--set: the value is longer than 1000 characters');
        corrections[cat] = kv.slice(i + 1);
      }
    }
    const asJson = values.json ?? false;
    // Every step over the app API (app.call), as the console and the server do.
    const app = await openApp(globals, { runEngine: !values['dry-run'] });
    try {
      if (values['dry-run']) {
        if (io.isTTY) io.stderr('dry run: discovering...\n');
        const out = await app.call('datamap.dryRun', { type, identities, strategy: strategy.data, ...(categories ? { categories } : {}), ...(corrections ? { corrections } : {}) }, cliMeta);
        print(io, out, asJson);
        return out.errors.length ? 1 : 0;
      }
      const created = await app.call('cases.create', { type, jurisdiction: jurisdiction.data, channel: 'staff', identities, strategy: strategy.data, autoApprove: true }, cliMeta);
      if (categories || corrections) await app.call('datamap.options.set', { id: created.id, ...(categories ? { categories } : {}), ...(corrections ? { corrections } : {}) }, cliMeta);
      if (io.isTTY) io.stderr(`${created.id}: verifying, discovering, ${type === 'access' ? 'reporting' : 'executing'}...\n`);
      const c = await app.call('cases.get', { id: created.id }, cliMeta);
      if (c.status === 'verifying' || c.status === 'acknowledged' || c.status === 'received') {
        await app.settle(created.id);
        const now = await app.call('cases.get', { id: created.id }, cliMeta);
        if (now.status === 'verifying') {
          if (signedName && signedOn) {
            const d = await app.call('declarations.store', { id: created.id, signedName, signedOn }, cliMeta);
            await app.call('cases.verify', { id: created.id, method: 'staff', note: 'staff attestation and signed declaration (CLI)', dataPoints: 3, declarationId: d.documentId }, cliMeta);
          } else await app.call('cases.verify', { id: created.id, method: 'staff', note: 'staff attestation (CLI)', dataPoints: 2 }, cliMeta);
        }
      }
      await app.settle(created.id);
      const out = await app.call('datamap.changes', { id: created.id }, cliMeta);
      print(io, out, asJson);
      const after = await app.call('cases.get', { id: created.id }, cliMeta);
      if (after.status === 'in_review' && after.requiredLevel === 'high' && after.verification.level !== 'high') {
        io.stderr(`${created.id}: not executed: discovery found sensitive personal information, so the deletion needs the high level of verification (11 CCR §7062(d)); `
          + `give --signed-name and --signed-on (3 data points and the consumer's signed declaration), or store one with \`request declaration ${created.id}\` and \`request verify ${created.id} --method staff --note TEXT --data-points 3 --declaration DOC\`, then \`request approve ${created.id}\`\n`);
      }
      return out.errors.length ? 1 : 0;
    } finally {
      await app.close();
    }
  };
}

export const dsr: CommandGroup = {
  access: command('access'),
  delete: command('delete'),
  delete_pii: command('delete_pii'),
  opt_out: command('opt_out'),
  correct: command('correct'),
};
export default dsr;
