// privacy-desk request create|show|list|verify|extend|hold|resume|deny|discover|approve|reveal|audit|categories-only|declaration|appeal|appeal-extend|appeal-decide
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { CommandGroup, CliIO } from '../command';
import { UsageError } from '../command';
import { openApp } from '../open-app';
import { json, one, parse } from '../args';
import type { App } from '../../shared/app/app';
import { EXTENSION_CATEGORIES, type CaseView, type ExtensionCategory } from '../../shared/domain/case';
import { AddressSchema } from '../../shared/domain/identity';
import type { AppealView } from '../../shared/app/contract/appeals';

const meta = { actor: process.env.PRIVACY_DESK_USER ? `staff:${process.env.PRIVACY_DESK_USER}` : 'cli' };

/** `readOnly`: the command never runs a step (AppConfig.work none); else it works on the case it changes. */
async function withApp<T>(globals: Parameters<typeof openApp>[0], fn: (app: App) => Promise<T>, readOnly = false): Promise<T> {
  const app = await openApp(globals, { work: readOnly ? 'none' : 'own' });
  try {
    return await fn(app);
  } finally {
    await app.close();
  }
}

function printCase(io: CliIO, c: CaseView, asJson: boolean): void {
  if (asJson) { io.stdout(json(c)); return; }
  const ack = c.deadlines.acknowledge ? `acknowledge by ${c.deadlines.acknowledge}, ` : '';
  io.stdout(`${c.id}  ${c.type}  ${c.jurisdiction}  ${c.status}  ${ack}respond by ${c.deadlines.respond} (${c.daysLeft} days left)${c.extended ? ' [extended]' : ''}\n`);
}

function printAppeal(io: CliIO, a: AppealView, asJson: boolean): void {
  if (asJson) { io.stdout(json(a)); return; }
  const decided = a.status === 'open' ? `answer by ${a.deadlines.respond} (${a.daysLeft} days left)` : `${a.status} ${a.decidedAt ?? ''}`;
  io.stdout(`${a.caseId}  appeal ${a.id}  ${a.jurisdiction}  received ${a.receivedOn}  ${decided}${a.reopenedCaseId ? `  redone as ${a.reopenedCaseId}` : ''}\n`);
}

/**
 * A case resting in `received` or `responding` after a step failed (or waits for staff, e.g. a
 * report with no email address to go to) says why, so it never waits unnoticed.
 */
async function printWaiting(io: CliIO, app: App, c: CaseView, asJson: boolean): Promise<void> {
  if (asJson || (c.status !== 'received' && c.status !== 'responding')) return;
  const audit = await app.call('cases.audit', { id: c.id }, meta);
  for (let i = audit.length - 1; i >= 0; i -= 1) {
    const a = audit[i]!;
    if (a.action === 'step.completed' || a.action === 'case.retry') return;
    if (a.action === 'step.failed') { io.stdout(`  waiting: ${String(a.detail.error ?? 'a step failed')}\n`); return; }
  }
}

/** --received YYYY-MM-DD: noon UTC, which is the same calendar date in every supported zone. */
function receivedAt(date: string | undefined): string | undefined {
  if (date === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/u.test(date) || Number.isNaN(Date.parse(`${date}T12:00:00Z`))) {
    throw new UsageError(`--received: must be a date YYYY-MM-DD (got "${date.slice(0, 40)}")`);
  }
  return `${date}T12:00:00.000Z`;
}

function addressFrom(jsonText: string | undefined) {
  if (jsonText === undefined) return undefined;
  let raw: unknown;
  try { raw = JSON.parse(jsonText); } catch { throw new UsageError('--address-json: must be a JSON object (line1, line2, city, state, postalCode, country)'); }
  const r = AddressSchema.safeParse(raw);
  if (!r.success) throw new UsageError(`--address-json: ${r.error.issues.map((i) => `${i.path.join('.') || 'address'}: ${i.message}`).join('; ')}`);
  return r.data;
}

const idOf = (positionals: string[]) => one(positionals, 'case id');

export const request: CommandGroup = {
  create: async (argv, globals, io) => {
    const { values } = parse(argv, {
      type: { type: 'string' }, jurisdiction: { type: 'string' }, strategy: { type: 'string' },
      email: { type: 'string' }, phone: { type: 'string' }, name: { type: 'string' },
      'address-json': { type: 'string' }, 'custom-key': { type: 'string', multiple: true },
      channel: { type: 'string' }, received: { type: 'string' }, 'specific-pieces': { type: 'boolean' },
      'auto-approve': { type: 'boolean' }, assignee: { type: 'string' },
      'agent-name': { type: 'string' }, 'agent-permission': { type: 'string' },
      json: { type: 'boolean' },
    }, false);
    if (!values.type) throw new UsageError('--type is required (access, delete, delete_pii, opt_out, correct, limit)');
    if (!values.jurisdiction) throw new UsageError('--jurisdiction is required (CA, EU, VA, CO, CT, UT, OR, TX, ...)');
    const customKeys = (values['custom-key'] ?? []).map((kv) => {
      const i = kv.indexOf('=');
      if (i <= 0) throw new UsageError(`--custom-key: expected NAME=VALUE`);
      return { name: kv.slice(0, i), value: kv.slice(i + 1) };
    });
    const input = {
      type: values.type, jurisdiction: values.jurisdiction, strategy: values.strategy, channel: values.channel ?? 'staff',
      identities: {
        email: values.email, phone: values.phone, name: values.name, address: addressFrom(values['address-json']),
        customKeys: customKeys.length ? customKeys : undefined,
      },
      agent: values['agent-name'] ? { name: values['agent-name'], permissionRef: values['agent-permission'] ?? '' } : undefined,
      receivedAt: receivedAt(values.received), specificPieces: values['specific-pieces'] ?? false,
      autoApprove: values['auto-approve'] ?? false, assignee: values.assignee,
    };
    return withApp(globals, async (app) => {
      const created = await app.call('cases.create', input as never, meta);
      await app.settle(created.id);
      printCase(io, await app.call('cases.get', { id: created.id }, meta), values.json ?? false);
      return 0;
    });
  },
  show: async (argv, globals, io) => {
    const { values, positionals } = parse(argv, { json: { type: 'boolean' } });
    const id = idOf(positionals);
    return withApp(globals, async (app) => {
      const c = await app.call('cases.get', { id }, meta);
      printCase(io, c, values.json ?? false);
      await printWaiting(io, app, c, values.json ?? false);
      return 0;
    }, true);
  },
  list: async (argv, globals, io) => {
    const { values } = parse(argv, {
      status: { type: 'string' }, type: { type: 'string' }, overdue: { type: 'boolean' }, search: { type: 'string' },
      limit: { type: 'string' }, offset: { type: 'string' }, json: { type: 'boolean' },
    }, false);
    const num = (v: string | undefined, name: string, dflt: number) => {
      if (v === undefined) return dflt;
      const r = z.coerce.number().int().min(0).safeParse(v);
      if (!r.success) throw new UsageError(`--${name}: must be a whole number`);
      return r.data;
    };
    return withApp(globals, async (app) => {
      const res = await app.call('cases.list', {
        status: values.status as never, type: values.type as never, overdue: values.overdue, search: values.search,
        limit: num(values.limit, 'limit', 1000), offset: num(values.offset, 'offset', 0),
      }, meta);
      if (values.json) io.stdout(json(res.items));
      else {
        for (const c of res.items) printCase(io, c, false);
        io.stdout(`${res.items.length} of ${res.total} case(s)\n`);
      }
      return 0;
    }, true);
  },
  verify: async (argv, globals, io) => {
    const { values, positionals } = parse(argv, {
      method: { type: 'string' }, note: { type: 'string' }, 'data-points': { type: 'string' },
      'signed-declaration': { type: 'boolean' }, declaration: { type: 'string' }, json: { type: 'boolean' },
    });
    const id = idOf(positionals);
    if (!values.method) throw new UsageError('--method is required (staff, email-code, phone-code, knowledge)');
    if (!values.note) throw new UsageError('--note is required (who checked what, and how)');
    const dp = values['data-points'] === undefined ? 2 : Number(values['data-points']);
    if (!Number.isInteger(dp) || dp < 0 || dp > 10) throw new UsageError('--data-points: must be a whole number 0-10');
    if (values['signed-declaration'] && !values.declaration) {
      throw new UsageError(`--signed-declaration: a yes/no flag is not enough; store the declaration with \`request declaration ${id} --signed-name NAME --signed-on YYYY-MM-DD\` and name it with --declaration DOCID`);
    }
    return withApp(globals, async (app) => {
      await app.call('cases.verify', {
        id, method: values.method as never, note: values.note!, dataPoints: dp,
        ...(values.declaration ? { declarationId: values.declaration } : {}),
      }, meta);
      await app.settle(id);
      const c = await app.call('cases.get', { id }, meta);
      printCase(io, c, values.json ?? false);
      await printWaiting(io, app, c, values.json ?? false);
      return 0;
    });
  },
  extend: async (argv, globals, io) => {
    const { values, positionals } = parse(argv, { reason: { type: 'string' }, category: { type: 'string' }, json: { type: 'boolean' } });
    const id = idOf(positionals);
    if (!values.reason) throw new UsageError('--reason is required (it is sent to the consumer with the extension notice)');
    const category = values.category;
    if (category !== undefined && !(EXTENSION_CATEGORIES as readonly string[]).includes(category)) {
      throw new UsageError(`--category: one of ${EXTENSION_CATEGORIES.join(', ')} (what a status call tells a consumer without email)`);
    }
    return withApp(globals, async (app) => {
      const c = await app.call('cases.extend', { id, reason: values.reason!, ...(category ? { category: category as ExtensionCategory } : {}) }, meta);
      printCase(io, c, values.json ?? false);
      return 0;
    });
  },
  hold: async (argv, globals, io) => {
    const { values, positionals } = parse(argv, { reason: { type: 'string' }, kind: { type: 'string' }, json: { type: 'boolean' } });
    const id = idOf(positionals);
    if (!values.reason) throw new UsageError('--reason is required');
    return withApp(globals, async (app) => {
      const c = await app.call('cases.hold', { id, reason: (values.kind ?? 'legal_hold') as never, note: values.reason! }, meta);
      printCase(io, c, values.json ?? false);
      return 0;
    });
  },
  resume: async (argv, globals, io) => {
    const { values, positionals } = parse(argv, { json: { type: 'boolean' } });
    const id = idOf(positionals);
    return withApp(globals, async (app) => {
      await app.call('cases.resume', { id }, meta);
      await app.settle(id);
      const c = await app.call('cases.get', { id }, meta);
      printCase(io, c, values.json ?? false);
      await printWaiting(io, app, c, values.json ?? false);
      return 0;
    });
  },
  deny: async (argv, globals, io) => {
    const { values, positionals } = parse(argv, { reason: { type: 'string' }, note: { type: 'string' }, json: { type: 'boolean' } });
    const id = idOf(positionals);
    if (!values.reason) throw new UsageError('--reason is required (unverifiable, exempt, duplicate, withdrawn)');
    return withApp(globals, async (app) => {
      printCase(io, await app.call('cases.deny', { id, reason: values.reason as never, note: values.note }, meta), values.json ?? false);
      return 0;
    });
  },
  discover: async (argv, globals, io) => {
    const { values, positionals } = parse(argv, { json: { type: 'boolean' } });
    const id = idOf(positionals);
    return withApp(globals, async (app) => {
      await app.call('cases.discover', { id }, meta);
      await app.settle(id);
      const c = await app.call('cases.get', { id }, meta);
      printCase(io, c, values.json ?? false);
      await printWaiting(io, app, c, values.json ?? false);
      return 0;
    });
  },
  approve: async (argv, globals, io) => {
    const { values, positionals } = parse(argv, { json: { type: 'boolean' } });
    const id = idOf(positionals);
    return withApp(globals, async (app) => {
      await app.call('cases.approve', { id }, meta);
      await app.settle(id);
      const c = await app.call('cases.get', { id }, meta);
      printCase(io, c, values.json ?? false);
      await printWaiting(io, app, c, values.json ?? false);
      return 0;
    });
  },
  /** A specific-pieces access verified only to the reasonable level gets the categories report: `request categories-only ID --note TEXT`. */
  'categories-only': async (argv, globals, io) => {
    const { values, positionals } = parse(argv, { note: { type: 'string' }, json: { type: 'boolean' } });
    const id = idOf(positionals);
    if (!values.note) throw new UsageError('--note is required (why the high level cannot be reached)');
    return withApp(globals, async (app) => {
      await app.call('cases.categoriesOnly', { id, note: values.note! }, meta);
      await app.settle(id);
      printCase(io, await app.call('cases.get', { id }, meta), values.json ?? false);
      return 0;
    });
  },
  /** Store a signed declaration with the case: `request declaration ID --signed-name NAME --signed-on YYYY-MM-DD [--file SCAN] [--json]`. */
  declaration: async (argv, globals, io) => {
    const { values, positionals } = parse(argv, { 'signed-name': { type: 'string' }, 'signed-on': { type: 'string' }, statement: { type: 'string' }, file: { type: 'string' }, json: { type: 'boolean' } });
    const id = idOf(positionals);
    if (!values['signed-name']) throw new UsageError('--signed-name is required (the name the consumer signed with)');
    if (!values['signed-on']) throw new UsageError('--signed-on YYYY-MM-DD is required');
    receivedAt(values['signed-on']);
    let scan: { mediaType: 'application/pdf' | 'image/png' | 'image/jpeg'; contentBase64: string } | undefined;
    if (values.file) {
      const ext = values.file.toLowerCase().split('.').pop();
      const mediaType = ext === 'pdf' ? 'application/pdf' : ext === 'png' ? 'image/png' : ext === 'jpg' || ext === 'jpeg' ? 'image/jpeg' : null;
      if (!mediaType) throw new UsageError('--file: a .pdf, .png or .jpg scan of the signed declaration');
      scan = { mediaType, contentBase64: readFileSync(values.file).toString('base64') };
    }
    return withApp(globals, async (app) => {
      const d = await app.call('declarations.store', {
        id, signedName: values['signed-name']!, signedOn: values['signed-on']!, ...(values.statement ? { statement: values.statement } : {}), ...(scan ?? {}),
      }, meta);
      io.stdout(values.json ? json(d) : `${id}  declaration ${d.documentId}  signed ${d.signedOn}  sha256 ${d.sha256}\n`);
      return 0;
    });
  },
  /** The consumer's appeal of a refusal: `request appeal ID [--received YYYY-MM-DD] --reason TEXT [--json]`. */
  appeal: async (argv, globals, io) => {
    const { values, positionals } = parse(argv, { received: { type: 'string' }, reason: { type: 'string' }, json: { type: 'boolean' } });
    const id = idOf(positionals);
    if (!values.reason) throw new UsageError('--reason is required (what the consumer disagrees with, in their words)');
    if (values.received !== undefined) receivedAt(values.received);
    return withApp(globals, async (app) => {
      const a = await app.call('appeals.file', { id, reason: values.reason!, ...(values.received ? { receivedOn: values.received } : {}) }, meta);
      printAppeal(io, a, values.json ?? false);
      return 0;
    });
  },
  /** Extend the open appeal's answer once where the state allows it: `request appeal-extend ID --reason TEXT [--json]`. */
  'appeal-extend': async (argv, globals, io) => {
    const { values, positionals } = parse(argv, { reason: { type: 'string' }, json: { type: 'boolean' } });
    const id = idOf(positionals);
    if (!values.reason) throw new UsageError('--reason is required (it is sent to the consumer with the extension notice)');
    return withApp(globals, async (app) => {
      printAppeal(io, await app.call('appeals.extend', { id, reason: values.reason! }, meta), values.json ?? false);
      return 0;
    });
  },
  /** Answer the case's open appeal: `request appeal-decide ID --granted|--upheld --note TEXT [--json]`. */
  'appeal-decide': async (argv, globals, io) => {
    const { values, positionals } = parse(argv, { granted: { type: 'boolean' }, upheld: { type: 'boolean' }, note: { type: 'string' }, json: { type: 'boolean' } });
    const id = idOf(positionals);
    if (!!values.granted === !!values.upheld) throw new UsageError('give one of --granted (the request is redone) or --upheld (the refusal stands)');
    if (!values.note) throw new UsageError('--note is required (the reasons, sent to the consumer with the answer)');
    return withApp(globals, async (app) => {
      const a = await app.call('appeals.decide', { id, outcome: values.granted ? 'granted' : 'upheld', note: values.note! }, meta);
      if (a.reopenedCaseId) await app.settle(a.reopenedCaseId);
      printAppeal(io, a, values.json ?? false);
      return 0;
    });
  },
  audit: async (argv, globals, io) => {
    const { values, positionals } = parse(argv, { json: { type: 'boolean' } });
    const id = idOf(positionals);
    return withApp(globals, async (app) => {
      const entries = await app.call('cases.audit', { id }, meta);
      if (values.json) io.stdout(json(entries));
      else for (const e of entries) io.stdout(`${e.seq}\t${e.at}\t${e.actor}\t${e.action}\t${JSON.stringify(e.detail)}\n`);
      return 0;
    }, true);
  },
};
export default request;
