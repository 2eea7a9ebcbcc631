// privacy-desk report preview <case> [--format html|json|csv] [--out FILE]: the access report as it
// would be sent (audited). Without --out it is printed.
// privacy-desk report deliver <case> [--method post|in_person|other] --note TEXT: record that staff
// delivered a report that had no email address to go to (it waits in `messages attention`); the
// case then closes.
import { writeFileSync } from 'node:fs';
import type { CommandGroup } from '../command';
import { UsageError } from '../command';
import { openApp } from '../open-app';
import { json, one, parse } from '../args';

const meta = { actor: process.env.PRIVACY_DESK_USER ? `staff:${process.env.PRIVACY_DESK_USER}` : 'cli' };

export const report: CommandGroup = {
  preview: async (argv, globals, io) => {
    const { values, positionals } = parse(argv, { format: { type: 'string' }, out: { type: 'string' } });
    const format = values.format ?? 'html';
    if (format !== 'html' && format !== 'json' && format !== 'csv') throw new UsageError('--format: html, json or csv');
    const app = await openApp(globals, { runEngine: false });
    try {
      const r = await app.call('reports.preview', { id: one(positionals, 'case id'), format }, meta);
      if (values.out) { writeFileSync(values.out, r.content, { mode: 0o600 }); io.stdout(`wrote ${values.out}\n`); } else io.stdout(r.content);
      return 0;
    } finally { await app.close(); }
  },
  deliver: async (argv, globals, io) => {
    const { values, positionals } = parse(argv, { method: { type: 'string' }, note: { type: 'string' }, json: { type: 'boolean' } });
    const method = values.method ?? 'post';
    if (method !== 'post' && method !== 'in_person' && method !== 'other') throw new UsageError('--method: post, in_person or other');
    if (!values.note?.trim()) throw new UsageError('--note is required (how and when it was delivered; not the address itself)');
    const app = await openApp(globals);
    try {
      const c = await app.call('responses.deliver', { id: one(positionals, 'case id'), method, note: values.note }, meta);
      io.stdout(values.json ? json(c) : `${c.id}: report delivery recorded (${method}), status ${c.status}\n`);
      return 0;
    } finally { await app.close(); }
  },
  'unified-compliance': async (argv, globals, io) => (await import('./compliance')).unifiedCompliance(argv, globals, io),
};
export default report;
