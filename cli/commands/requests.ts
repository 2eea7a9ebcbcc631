// privacy-desk requests import FILE.csv [--jurisdiction CA] [--custom-key-names a,b,c] [--review] [--json]
// Inbound requests with Amperity's inbound columns (id, type, strategy, email, phone, address,
// address2, city, state, postal, country, custom_key[_2|_3]). Every row is checked first: one bad
// row -> exit 2 naming its line and column, nothing created. Then each row becomes a case, verified
// by staff attestation and run through the case machine (auto-approved unless --review).
import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { CommandGroup } from '../command';
import { UsageError } from '../command';
import { json, one, parse } from '../args';
import { cliMeta, withDatamap } from '../datamap-args';
import { JurisdictionSchema } from '../../shared/domain/case';
import { parseInboundRequests } from '../../shared/domain/unified-compliance';

export const requests: CommandGroup = {
  import: async (argv, globals, io) => {
    const { values, positionals } = parse(argv, { jurisdiction: { type: 'string' }, 'custom-key-names': { type: 'string' }, review: { type: 'boolean' }, json: { type: 'boolean' } });
    const file = resolve(one(positionals, 'FILE.csv'));
    let text: string;
    try { text = readFileSync(file, 'utf8'); } catch { throw new UsageError(`FILE.csv: cannot read ${file}`); }
    const jurisdiction = JurisdictionSchema.safeParse(values.jurisdiction ?? 'CA');
    if (!jurisdiction.success) throw new UsageError('--jurisdiction: unknown jurisdiction');
    const names = values['custom-key-names']?.split(',').map((s) => s.trim()).filter(Boolean);
    if (names?.some((n) => !/^[A-Za-z0-9_.-]{1,64}$/u.test(n))) throw new UsageError('--custom-key-names: letters, digits, _ . -');
    const { requests: list, errors } = parseInboundRequests(text, names);
    if (errors.length) throw new UsageError(`${basename(file)}: ${errors.slice(0, 20).join('; ')}${errors.length > 20 ? ` (and ${errors.length - 20} more)` : ''}`);
    const datasource = basename(file);
    return withDatamap(globals, true, async (app, svc) => {
      const out: Array<{ requestId: string; caseId: string | null; status: string; errors: number }> = [];
      let failed = 0;
      for (const r of list) {
        const existing = await svc.repo.requestExists(datasource, r.requestId);
        if (existing) { out.push({ requestId: r.requestId, caseId: existing, status: 'already_imported', errors: 0 }); continue; }
        const c = await app.call('cases.create', { type: r.type, jurisdiction: jurisdiction.data, channel: 'staff', identities: r.identities, strategy: r.strategy, autoApprove: !values.review }, cliMeta);
        await svc.repo.putRequest(c.id, r.requestId, datasource, app.ctx.clock());
        await app.settle(c.id);
        const now = await app.call('cases.get', { id: c.id }, cliMeta);
        if (now.status === 'verifying') await app.call('cases.verify', { id: c.id, method: 'staff', note: 'staff attestation (CSV import)', dataPoints: 2 }, cliMeta);
        await app.settle(c.id);
        const res = await svc.output(c.id);
        if (res.errors.length) failed += 1;
        out.push({ requestId: r.requestId, caseId: c.id, status: res.status, errors: res.errors.length });
        if (io.isTTY) io.stderr(`${out.length}/${list.length} ${r.requestId}: ${res.status}\n`);
      }
      const summary = { file: datasource, imported: out.filter((o) => o.status !== 'already_imported').length, requests: out };
      if (values.json) io.stdout(json(summary));
      else for (const o of out) io.stdout(`${o.requestId}  ${o.caseId ?? '-'}  ${o.status}${o.errors ? `  (${o.errors} system error(s))` : ''}\n`);
      return failed ? 1 : 0;
    });
  },
};
export default requests;
