// privacy-desk processors add --name N --system S --channel email|webhook --address A | list |
//   deactivate <id> | notices <case> | confirm --token T | confirm --notice ID --note TEXT | remind [--after-days 7]
import type { CommandGroup } from '../command';
import { UsageError } from '../command';
import { openApp } from '../open-app';
import { json, one, parse } from '../args';

const meta = { actor: process.env.PRIVACY_DESK_USER ? `staff:${process.env.PRIVACY_DESK_USER}` : 'cli' };

export const processors: CommandGroup = {
  add: async (argv, globals, io) => {
    const { values } = parse(argv, { name: { type: 'string' }, system: { type: 'string' }, channel: { type: 'string' }, address: { type: 'string' }, json: { type: 'boolean' } }, false);
    for (const k of ['name', 'system', 'channel', 'address'] as const) if (!values[k]) throw new UsageError(`--${k} is required`);
    if (values.channel !== 'email' && values.channel !== 'webhook') throw new UsageError('--channel: email or webhook');
    const app = await openApp(globals, { runEngine: false });
    try {
      const p = await app.call('processors.add', { name: values.name!, system: values.system!, channel: values.channel, address: values.address! }, meta);
      if (values.json) io.stdout(json(p));
      else io.stdout(`${p.id}  ${p.name} (${p.system}, ${p.channel})${p.webhookSecret ? `\nwebhook signing secret (give it to the processor): ${p.webhookSecret}` : ''}\n`);
      return 0;
    } finally { await app.close(); }
  },
  list: async (argv, globals, io) => {
    const { values } = parse(argv, { json: { type: 'boolean' } }, false);
    const app = await openApp(globals, { runEngine: false });
    try {
      const list = await app.call('processors.list', {}, meta);
      if (values.json) io.stdout(json(list));
      else for (const p of list) io.stdout(`${p.id}  ${p.system.padEnd(16)} ${p.name.padEnd(24)} ${p.channel.padEnd(8)} ${p.address}${p.active ? '' : '  (inactive)'}\n`);
      return 0;
    } finally { await app.close(); }
  },
  deactivate: async (argv, globals, io) => {
    const { positionals } = parse(argv, {});
    const app = await openApp(globals, { runEngine: false });
    try { await app.call('processors.deactivate', { id: one(positionals, 'processor id') }, meta); io.stdout('deactivated\n'); return 0; } finally { await app.close(); }
  },
  notices: async (argv, globals, io) => {
    const { values, positionals } = parse(argv, { json: { type: 'boolean' } });
    const app = await openApp(globals, { runEngine: false });
    try {
      const list = await app.call('processors.notices', { id: one(positionals, 'case id') }, meta);
      if (values.json) io.stdout(json(list));
      else for (const n of list) io.stdout(`${n.id}  ${n.processorName} (${n.system})  ${n.status}${n.confirmedAt ? ` ${n.confirmedAt}` : ''}  reminders ${n.reminders}${n.lastError ? `  error: ${n.lastError}` : ''}\n`);
      return 0;
    } finally { await app.close(); }
  },
  confirm: async (argv, globals, io) => {
    const { values } = parse(argv, { token: { type: 'string' }, notice: { type: 'string' }, note: { type: 'string' } }, false);
    let input: { token: string } | { noticeId: string; note: string };
    if (values.token) input = { token: values.token };
    else if (values.notice && values.note) input = { noticeId: values.notice, note: values.note };
    else throw new UsageError('give --token T, or --notice ID with --note TEXT');
    const app = await openApp(globals, { runEngine: false });
    try {
      const n = await app.call('processors.confirm', input, meta);
      io.stdout(`${n.processorName} confirmed deletion for ${n.caseId}\n`);
      return 0;
    } finally { await app.close(); }
  },
  remind: async (argv, globals, io) => {
    const { values } = parse(argv, { 'after-days': { type: 'string' } }, false);
    const afterDays = values['after-days'] === undefined ? 7 : Number(values['after-days']);
    if (!Number.isInteger(afterDays) || afterDays < 0) throw new UsageError('--after-days: a whole number of days');
    const app = await openApp(globals, { runEngine: false });
    try {
      const r = await app.call('processors.remind', { afterDays }, meta);
      io.stdout(`reminded ${r.reminded}, failed ${r.failed}\n`);
      return r.failed ? 1 : 0;
    } finally { await app.close(); }
  },
};
export default processors;
