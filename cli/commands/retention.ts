// privacy-desk retention purge [--before ISO] [--force --reason TEXT] [--json]: request records are
// kept 24 months (CCPA regs §7101); after that their PII is removed and the audit skeleton kept. A
// --before younger than 24 months is refused unless --force with a reason (audited).
import type { CommandGroup } from '../command';
import { UsageError } from '../command';
import { openApp } from '../open-app';
import { json, parse } from '../args';

export const retention: CommandGroup = {
  purge: async (argv, globals, io) => {
    const { values } = parse(argv, { before: { type: 'string' }, force: { type: 'boolean' }, reason: { type: 'string' }, json: { type: 'boolean' } }, false);
    if (values.force && !values.reason) throw new UsageError('--force needs --reason TEXT (why records younger than 24 months must go, e.g. the court order); it is audited');
    const app = await openApp(globals, { runEngine: false });
    try {
      const r = await app.call('retention.purge', { before: values.before, force: values.force ?? false, ...(values.reason ? { reason: values.reason } : {}) }, { actor: 'cli' });
      io.stdout(values.json ? json(r) : `purged the PII of ${r.purged} case(s) closed before ${r.before}; removed ${r.files.outboxFiles} outbox file(s) and the files of ${r.files.reportLinks} report link(s)\n`);
      return 0;
    } finally {
      await app.close();
    }
  },
};
export default retention;
