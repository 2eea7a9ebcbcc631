// The consumer/processor link pages (server/public-routes/links.ts, served by `links serve`) over real HTTP against a real app:
// report files behind a signed, expiring token; processor confirmation only on POST.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App } from '../../../shared/app/app';
import { responsesService } from '../../../shared/app/services/responses-service';
import { startPublicServer, type PublicServer } from '../../../server/public-server';
import { publicBackend } from '../../../server/public-backend';
import { OutboxSender } from '../../../shared/channels/email/outbox-sender';

let app: App;
let server: PublicServer;
let base: string;
let dir: string;
const now = { t: Date.parse('2026-03-02T15:00:00.000Z') };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pd-links-'));
  app = await createApp({ dataDir: dir, db: { kind: 'sqlite', file: join(dir, 'pd.sqlite') } }, { clock: () => new Date(now.t) });
  responsesService(app.ctx, { env: {}, sender: new OutboxSender(join(dir, 'outbox')) });
  server = await startPublicServer({ backend: publicBackend(app) });
  base = server.origin;
});
afterAll(async () => {
  await server.close();
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('link pages', () => {
  it('lists and downloads report files until the link expires; a forged token gets nothing', async () => {
    const c = await app.call('cases.create', { type: 'access', jurisdiction: 'CA', identities: { email: 'links@example.com' } }, { actor: 'staff' });
    const links = responsesService(app.ctx).links;
    const link = await links.create(c.id, [{ name: 'personal-information.json', contentType: 'application/json', content: new TextEncoder().encode('{"a":1}') }], 7, 'system');
    const list = await fetch(`${base}/reports/${link.token}`);
    expect(list.status).toBe(200);
    expect(list.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(list.headers.get('cache-control')).toBe('no-store');
    expect(await list.text()).toContain('personal-information.json');
    const file = await fetch(`${base}/reports/${link.token}/personal-information.json`);
    expect(file.headers.get('content-disposition')).toBe('attachment; filename="personal-information.json"');
    expect(await file.text()).toBe('{"a":1}');
    const forged = await fetch(`${base}/reports/${link.token.slice(0, -4)}abcd`);
    expect(forged.status).toBe(404);
    now.t += 8 * 86_400_000;
    const expired = await fetch(`${base}/reports/${link.token}/personal-information.json`);
    expect(expired.status).toBe(410);
    expect(await expired.text()).toContain('expired');
    const audit = await app.call('cases.audit', { id: c.id }, { actor: 'staff' });
    expect(audit.filter((a) => a.action === 'report.downloaded')).toHaveLength(1);
  });

  it('confirms a processor notice on POST only', async () => {
    const res = await fetch(`${base}/processors/confirm/not-a-real-token-123`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<form method="post">');
    const post = await fetch(`${base}/processors/confirm/not-a-real-token-123`, { method: 'POST' });
    expect(post.status).toBe(404);
    expect((await fetch(`${base}/elsewhere`)).status).toBe(404);
  });
});
