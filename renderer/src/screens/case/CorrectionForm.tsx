// A correct request: what is wrong (the data category) and the new value, one line per item, saved
// with `datamap.options.set` (corrections, audited by category only); plus the documents the
// consumer sent to back it up (`documents.upload`, kind consumer-document, on the case's timeline).
// The writes planned are shown above the form (WritesTable), read back from the back end.
import { useState } from 'react';
import type { CaseView } from '../../../../shared/domain/case';
import { isCategory } from '../../../../shared/domain/categories';
import { useApi } from '../../api/context';
import { ErrorNote } from '../../components/ui';

/** The categories staff correct most; any other fideslang category can be typed. */
export const CORRECTABLE: ReadonlyArray<[string, string]> = [
  ['user.contact.email', 'Email address'],
  ['user.contact.phone_number', 'Phone number'],
  ['user.name', 'Name'],
  ['user.contact.address.street', 'Street address'],
  ['user.contact.address.city', 'City'],
  ['user.contact.address.postal_code', 'Postal code'],
  ['user.demographic.date_of_birth', 'Date of birth'],
];
const MEDIA = new Set(['application/pdf', 'image/png', 'image/jpeg', 'text/plain']);

function toBase64(buf: ArrayBuffer): string {
  const bytes = new Uint8Array(buf);
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

interface Line { category: string; value: string }

export function CorrectionForm({ c, onChanged }: { c: CaseView; onChanged: () => void }) {
  const { client, ops } = useApi();
  const [lines, setLines] = useState<Line[]>([{ category: CORRECTABLE[1]![0], value: '' }]);
  const [saved, setSaved] = useState<string[] | null>(null);
  const [docs, setDocs] = useState<Array<{ name: string; sha256: string }>>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const set = (i: number, patch: Partial<Line>) => setLines((ls) => ls.map((l, j) => (j === i ? { ...l, ...patch } : l)));
  const valid = lines.every((l) => isCategory(l.category.trim()) && l.value.trim());
  const save = async () => {
    setBusy(true);
    try {
      const corrections = Object.fromEntries(lines.map((l) => [l.category.trim(), l.value.trim()]));
      const r = await client.call('datamap.options.set', { id: c.id, corrections });
      setSaved(r.corrected); setError(null); onChanged();
    } catch (e) { setError(e); } finally { setBusy(false); }
  };
  const upload = async (file: File | undefined) => {
    if (!file) return;
    setBusy(true);
    try {
      if (!MEDIA.has(file.type)) throw new Error('PDF, PNG, JPEG or plain text only');
      const r = await client.call('documents.upload', { kind: 'consumer-document', caseId: c.id, mediaType: file.type as 'application/pdf', contentBase64: toBase64(await file.arrayBuffer()) });
      setDocs((d) => [...d, { name: file.name, sha256: r.sha256 }]); setError(null); onChanged();
    } catch (e) { setError(e); } finally { setBusy(false); }
  };
  return (
    <form className="stack-form correction" aria-label="What to correct" onSubmit={(e) => { e.preventDefault(); void save(); }}>
      <h3 className="sub">What is wrong, and the new value</h3>
      {lines.map((l, i) => (
        <div className="row" key={i}>
          <div className="field">
            <label htmlFor={`corr-cat-${i}`}>Category</label>
            <select id={`corr-cat-${i}`} value={CORRECTABLE.some(([k]) => k === l.category) ? l.category : ''} onChange={(e) => set(i, { category: e.target.value })}>
              {CORRECTABLE.map(([k, label]) => <option key={k} value={k}>{label}</option>)}
              <option value="">Other category…</option>
            </select>
          </div>
          {!CORRECTABLE.some(([k]) => k === l.category) && (
            <div className="field">
              <label htmlFor={`corr-other-${i}`}>Fideslang category</label>
              <input id={`corr-other-${i}`} value={l.category} placeholder="user.contact.address.state" onChange={(e) => set(i, { category: e.target.value })} />
            </div>
          )}
          <div className="field grow">
            <label htmlFor={`corr-val-${i}`}>New value</label>
            <input id={`corr-val-${i}`} value={l.value} maxLength={1000} autoComplete="off" onChange={(e) => set(i, { value: e.target.value })} />
          </div>
          {lines.length > 1 && <div className="field"><span className="label-space" aria-hidden="true">&nbsp;</span><button type="button" className="btn ghost small-btn" onClick={() => setLines((ls) => ls.filter((_, j) => j !== i))}>Remove</button></div>}
        </div>
      ))}
      <div className="form-actions">
        <button type="button" className="btn ghost" onClick={() => setLines((ls) => [...ls, { category: CORRECTABLE[0]![0], value: '' }])}>Add another</button>
        <button type="submit" className="btn" disabled={busy || !valid}>Save corrections</button>
      </div>
      {saved && <p className="note" role="status" data-testid="corrections-saved">Saved: {saved.join(', ')}. The writes planned are listed above.</p>}
      {ops.has('documents.upload') && (
        <div className="field">
          <label htmlFor="corr-doc">The consumer&apos;s documents (proof of the correct value; PDF, PNG, JPEG, text)</label>
          <input id="corr-doc" type="file" accept="application/pdf,image/png,image/jpeg,text/plain" disabled={busy} onChange={(e) => void upload(e.target.files?.[0])} />
          {docs.length > 0 && <ul className="history">{docs.map((d) => <li key={d.sha256}>{d.name} stored encrypted (sha256 {d.sha256.slice(0, 12)}…)</li>)}</ul>}
        </div>
      )}
      <ErrorNote error={error} />
    </form>
  );
}
