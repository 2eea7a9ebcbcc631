// Staff verification as the tests record it. A deletion may touch sensitive personal information,
// which needs the high level (11 CCR §7062(d); discovery raises the case's required level): for
// delete and delete_pii the consumer's signed declaration is stored with the case and three data
// points are counted, so the deletion runs; other requests are verified to the reasonable level.
import type { App } from '../../shared/app/app';

type Meta = { actor: string };

export async function verifyAsStaff(app: App, id: string, type: string, meta: Meta, who = 'Test Subject'): Promise<void> {
  if (type === 'delete' || type === 'delete_pii') {
    const d = await app.call('declarations.store', { id, signedName: who, signedOn: '2026-11-20' }, meta);
    await app.call('cases.verify', { id, method: 'staff', note: 'staff attestation and signed declaration (test)', dataPoints: 3, declarationId: d.documentId }, meta);
    return;
  }
  await app.call('cases.verify', { id, method: 'staff', note: 'staff attestation (test)', dataPoints: 2 }, meta);
}
