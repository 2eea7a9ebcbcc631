// privacy-desk codes send <case> [--channel email|sms|voice|auto] | check <case> --code N | status <case>
//   | unlock <case> --note TEXT | reply --from +E164 --text "STOP" (a reply to our texts: opt-out / opt-in)
import type { CommandGroup } from '../command';
import { UsageError } from '../command';
import { openApp } from '../open-app';
import { json, one, parse } from '../args';

const meta = { actor: process.env.PRIVACY_DESK_USER ? `staff:${process.env.PRIVACY_DESK_USER}` : 'cli' };

export const codes: CommandGroup = {
  send: async (argv, globals, io) => {
    const { values, positionals } = parse(argv, { channel: { type: 'string' }, json: { type: 'boolean' } });
    const channel = values.channel as string | undefined;
    if (channel !== undefined && !['email', 'sms', 'voice', 'auto'].includes(channel)) throw new UsageError('--channel must be email, sms, voice or auto');
    const app = await openApp(globals, { runEngine: false });
    try {
      const r = await app.call('codes.send', { id: one(positionals, 'case id'), ...(channel ? { channel: channel as 'email' | 'sms' | 'voice' | 'auto' } : {}) }, meta);
      const how = r.channel === 'email' ? '' : r.channel === 'sms' ? ' by text message' : ' in a call (read out twice)';
      io.stdout(values.json ? json(r) : `code sent to ${r.sentTo}${how}, valid until ${r.expiresAt}\n`);
      return 0;
    } finally { await app.close(); }
  },
  check: async (argv, globals, io) => {
    const { values, positionals } = parse(argv, { code: { type: 'string' }, json: { type: 'boolean' } });
    if (!values.code) throw new UsageError('--code is required');
    const id = one(positionals, 'case id');
    const app = await openApp(globals);
    try {
      const r = await app.call('codes.check', { id, code: values.code }, meta);
      if (r.ok) await app.settle(id);
      if (values.json) io.stdout(json(r));
      else if (r.ok) io.stdout(`code accepted: ${id} verified (${r.case.verification.level}), status ${r.case.status}\n`);
      else io.stdout(`code not accepted: ${r.reason}${r.attemptsLeft !== null ? ` (${r.attemptsLeft} attempt(s) left)` : ''}\n`);
      return r.ok ? 0 : 1;
    } finally { await app.close(); }
  },
  status: async (argv, globals, io) => {
    const { values, positionals } = parse(argv, { json: { type: 'boolean' } });
    const app = await openApp(globals, { runEngine: false });
    try {
      const s = await app.call('codes.status', { id: one(positionals, 'case id') }, meta);
      io.stdout(values.json ? json(s) : `${s.locked ? `LOCKED since ${s.lockedAt}` : `${s.attemptsLeft} attempt(s) left`}; codes issued ${s.issued}; active code ${s.active ? `until ${s.active.expiresAt}` : 'none'}\n`);
      return 0;
    } finally { await app.close(); }
  },
  reply: async (argv, globals, io) => {
    const { values } = parse(argv, { from: { type: 'string' }, text: { type: 'string' }, json: { type: 'boolean' } });
    if (!values.from || values.text === undefined) throw new UsageError('--from (E.164) and --text are required');
    const app = await openApp(globals, { runEngine: false });
    try {
      const r = await app.call('sms.inbound', { originationNumber: String(values.from), messageBody: String(values.text) }, meta);
      io.stdout(values.json ? json(r) : `${r.keyword === 'opt-out' ? 'opted out of texts' : r.keyword === 'opt-in' ? 'opted back in to texts' : 'no opt-out or opt-in word'}\n`);
      return 0;
    } finally { await app.close(); }
  },
  unlock: async (argv, globals, io) => {
    const { values, positionals } = parse(argv, { note: { type: 'string' } });
    if (!values.note) throw new UsageError('--note is required (why the lock is lifted)');
    const app = await openApp(globals, { runEngine: false });
    try {
      const s = await app.call('codes.unlock', { id: one(positionals, 'case id'), note: values.note }, meta);
      io.stdout(`unlocked; ${s.attemptsLeft} attempt(s) left\n`);
      return 0;
    } finally { await app.close(); }
  },
};
export default codes;
