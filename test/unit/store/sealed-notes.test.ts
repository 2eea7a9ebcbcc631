// Which notes are sealed at rest: staff free text always; the product's own fixed notes
// (shared/domain/product-notes.ts) are stored as written, and only when they match exactly.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPiiCrypto } from '../../../shared/crypto/envelope';
import { isSealedNote, NoteSealer } from '../../../shared/store/sealed-notes';
import { IMPORT_ATTESTATION_NOTE } from '../../../shared/domain/product-notes';

describe('NoteSealer', () => {
  it('seals staff text, keeps the product import note as written, opens both', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sealed-notes-'));
    try {
      const sealer = new NoteSealer(await createPiiCrypto({ dataDir: dir }));
      const staff = 'Called Dana back on +1 415 555 0100';
      const detail = await sealer.sealIn('case-1', { method: 'staff', note: staff, nested: { note: IMPORT_ATTESTATION_NOTE } });
      expect(isSealedNote(detail.note)).toBe(true);
      expect(detail.nested.note).toBe(IMPORT_ATTESTATION_NOTE);
      // Near the product's text is still staff text: sealed.
      expect(isSealedNote(await sealer.seal('case-1', `${IMPORT_ATTESTATION_NOTE} for Dana`))).toBe(true);
      expect(isSealedNote(await sealer.seal('case-1', IMPORT_ATTESTATION_NOTE.toUpperCase()))).toBe(true);
      const opened = await sealer.openIn('case-1', detail);
      expect(opened).toEqual({ method: 'staff', note: staff, nested: { note: IMPORT_ATTESTATION_NOTE } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
