// How the requester's identity was verified, and the form to record it (staff attestation etc.).
import { useState } from 'react';
import type { CaseView } from '../../../../shared/domain/case';
import { useApi } from '../../api/context';
import { Dl, ErrorNote, Field, Section } from '../../components/ui';
import { formatDate } from '../../format';
import { CodeSender } from './CodeSender';

const CAN_VERIFY = new Set(['received', 'acknowledged', 'verifying']);
const METHODS = [['staff', 'Staff attestation'], ['email-code', 'Email code'], ['phone-code', 'Phone code'], ['knowledge', 'Knowledge questions']] as const;
const LEVEL_TEXT = { none: 'Not verified', reasonable: 'Reasonable (2 data points)', high: 'High (3 data points + signed declaration)' } as const;

export function VerificationCard({ c, onChanged }: { c: CaseView; onChanged: () => void }) {
  const { client } = useApi();
  const [method, setMethod] = useState<(typeof METHODS)[number][0]>('staff');
  const [dataPoints, setDataPoints] = useState(c.requiredLevel === 'high' ? 3 : 2);
  const [declaration, setDeclaration] = useState(c.requiredLevel === 'high');
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const v = c.verification;
  const submit = async () => {
    setBusy(true);
    try {
      await client.call('cases.verify', { id: c.id, method, note, dataPoints, signedDeclaration: declaration });
      setError(null); setNote(''); onChanged();
    } catch (e) { setError(e); } finally { setBusy(false); }
  };
  return (
    <Section title="Verification" id="verification">
      <Dl items={[
        ['Status', <span className={v.level === 'none' ? 'muted' : 'ok-text'}>{LEVEL_TEXT[v.level]}</span>],
        ['Needed', LEVEL_TEXT[c.requiredLevel]],
        ['How', v.method ? `${v.method}${v.by ? ` by ${v.by}` : ''}` : '—'],
        ['When', formatDate(v.at)],
        ...(v.note ? [['Note', v.note] as [string, string]] : []),
      ]} />
      {CAN_VERIFY.has(c.status) && c.requiredLevel !== 'none' && <CodeSender c={c} onChanged={onChanged} />}
      {CAN_VERIFY.has(c.status) && c.requiredLevel !== 'none' && (
        <form className="stack-form" onSubmit={(e) => { e.preventDefault(); void submit(); }} aria-label="Record verification">
          <div className="row">
            <Field label="Method" htmlFor="v-method">
              <select id="v-method" value={method} onChange={(e) => setMethod(e.target.value as typeof method)}>
                {METHODS.map(([k, l]) => <option key={k} value={k}>{l}</option>)}
              </select>
            </Field>
            <Field label="Data points matched" htmlFor="v-points">
              <input id="v-points" type="number" min={0} max={10} value={dataPoints} onChange={(e) => setDataPoints(Number(e.target.value))} />
            </Field>
            <div className="field check">
              <input id="v-decl" type="checkbox" checked={declaration} onChange={(e) => setDeclaration(e.target.checked)} />
              <label htmlFor="v-decl">Signed declaration received</label>
            </div>
          </div>
          <Field label="Note (what was checked)" htmlFor="v-note">
            <input id="v-note" value={note} onChange={(e) => setNote(e.target.value)} required maxLength={2000} />
          </Field>
          <div><button type="submit" className="btn" disabled={busy || !note.trim()}>Mark verified</button></div>
        </form>
      )}
      <ErrorNote error={error} />
    </Section>
  );
}
