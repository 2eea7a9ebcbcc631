// privacy-desk messages list <case> | attention | notice <case> --kind extension|hold|denial | sweep [--denial-days 30]
//   | due-soon [--days 3] [--dry-run]   (the daily "due soon" email to each assignee; run it from cron once a day)
import type { CommandGroup, CliIO } from '../command';
import { UsageError } from '../command';
import { openApp } from '../open-app';
import { json, one, parse } from '../args';
import type { MessageView } from '../../shared/app/contract/responses';

const meta = { actor: process.env.PRIVACY_DESK_USER ? `staff:${process.env.PRIVACY_DESK_USER}` : 'cli' };

export function printMessages(io: CliIO, list: MessageView[], withCase = false): void {
  if (!list.length) { io.stdout('no messages\n'); return; }
  for (const m of list) {
    io.stdout(`${(m.sentAt ?? m.createdAt).slice(0, 19)}  ${withCase ? `${m.caseId ?? '-'}  ` : ''}${m.channel.padEnd(7)} ${m.template.padEnd(26)} ${m.status.padEnd(7)} ${m.recipient}  ${m.providerMessageId ?? ''}${m.delivery ? `  [${m.delivery}]` : ''}${m.error ? `  ${m.status === 'pending' ? 'to do' : 'error'}: ${m.error}` : ''}\n`);
  }
}

export const messages: CommandGroup = {
  list: async (argv, globals, io) => {
    const { values, positionals } = parse(argv, { json: { type: 'boolean' } });
    const app = await openApp(globals, { runEngine: false });
    try {
      const list = await app.call('messages.list', { id: one(positionals, 'case id') }, meta);
      if (values.json) io.stdout(json(list)); else printMessages(io, list);
      return 0;
    } finally { await app.close(); }
  },
  attention: async (argv, globals, io) => {
    const { values } = parse(argv, { json: { type: 'boolean' } }, false);
    const app = await openApp(globals, { runEngine: false });
    try {
      const r = await app.call('messages.attention', {}, meta);
      if (values.json) { io.stdout(json(r)); return 0; }
      io.stdout(`failed, stuck or awaiting staff delivery: ${r.messages.length}\n`);
      printMessages(io, r.messages, true);
      io.stdout(`cases locked for verification: ${r.lockedCases.length}\n`);
      for (const l of r.lockedCases) io.stdout(`  ${l.caseId}  locked ${l.lockedAt} after ${l.failures} wrong codes\n`);
      io.stdout(`unconfirmed processor notices: ${r.unconfirmedNotices.length}\n`);
      for (const n of r.unconfirmedNotices) io.stdout(`  ${n.caseId}  ${n.processorName} (${n.system})  ${n.status}${n.sentAt ? ` since ${n.sentAt.slice(0, 10)}` : ''}  reminders ${n.reminders}\n`);
      return 0;
    } finally { await app.close(); }
  },
  notice: async (argv, globals, io) => {
    const { values, positionals } = parse(argv, { kind: { type: 'string' }, json: { type: 'boolean' } });
    if (!values.kind || !['extension', 'hold', 'denial'].includes(values.kind)) throw new UsageError('--kind is required: extension, hold or denial');
    const app = await openApp(globals, { runEngine: false });
    try {
      const m = await app.call('responses.notice', { id: one(positionals, 'case id'), kind: values.kind as 'extension' }, meta);
      if (values.json) io.stdout(json(m)); else printMessages(io, [m]);
      return m.status === 'failed' ? 1 : 0;
    } finally { await app.close(); }
  },
  sweep: async (argv, globals, io) => {
    const { values } = parse(argv, { 'denial-days': { type: 'string' } }, false);
    const denialDays = values['denial-days'] === undefined ? 30 : Number(values['denial-days']);
    if (!Number.isInteger(denialDays) || denialDays < 1) throw new UsageError('--denial-days: a whole number of days from 1');
    const app = await openApp(globals, { runEngine: false });
    try {
      const r = await app.call('responses.sweep', { denialDays }, meta);
      io.stdout(`notices sent ${r.sent}, skipped (no email) ${r.skipped}, failed ${r.failed}\n`);
      return r.failed ? 1 : 0;
    } finally { await app.close(); }
  },
  'due-soon': async (argv, globals, io) => {
    const { values } = parse(argv, { days: { type: 'string' }, 'dry-run': { type: 'boolean' }, json: { type: 'boolean' } }, false);
    const days = values.days === undefined ? 3 : Number(values.days);
    if (!Number.isInteger(days) || days < 0 || days > 45) throw new UsageError('--days: a whole number of days from 0 to 45');
    const app = await openApp(globals, { runEngine: false });
    try {
      const r = await app.call('digest.dueSoon', { days, dryRun: !!values['dry-run'] }, meta);
      if (values.json) { io.stdout(json(r)); return 0; }
      io.stdout(`due soon (${r.date}, within ${days} day(s)): ${r.sent.length} email(s)\n`);
      for (const s of r.sent) io.stdout(`  ${s.to}  ${s.cases} case(s)  ${s.assignees.join(', ')}  ${s.status}\n`);
      if (r.undelivered.length) io.stdout(`no address for: ${r.undelivered.join(', ')} (assign them, or set PRIVACY_DESK_STAFF_EMAIL)\n`);
      return r.sent.some((s) => s.status.startsWith('failed')) ? 1 : 0;
    } finally { await app.close(); }
  },
};
export default messages;
