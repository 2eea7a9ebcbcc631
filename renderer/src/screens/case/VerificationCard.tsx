// How the requester's identity was verified, and the form to record it (staff attestation etc.).
// A signed declaration is never a yes/no box: the one the verification relies on is stored
// (encrypted) with the case first (declarations.store: the name signed and the date), or one
// already stored is chosen, and cases.verify names it. When discovery finds sensitive data in a
// deletion (11 CCR §7062(d)) the level needed rises to high while the case is in review: the form
// shows again there, with the reason, so the case never waits on a level nobody can record.
import { useEffect, useState } from 'react';
import type { CaseView } from '../../../../shared/domain/case';
import type { DeclarationView } from '../../../../shared/app/contract/declarations';
import { useApi } from '../../api/context';
import { Dl, ErrorNote, Field, Section } from '../../components/ui';
import { meets } from '../../../../shared/domain/verification';
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
  const [stored, setStored] = useState<DeclarationView[]>([]);
  const [chosen, setChosen] = useState('');
  const [signedName, setSignedName] = useState('');
  const [signedOn, setSignedOn] = useState(new Date().toISOString().slice(0, 10));
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const v = c.verification;
  const raised = c.status === 'in_review' && !meets(v.level, c.requiredLevel);
  const canVerify = (CAN_VERIFY.has(c.status) || raised) && c.requiredLevel !== 'none';
  // The level needed can rise after the form was first drawn (discovery): start from what it needs now.
  useEffect(() => { if (c.requiredLevel === 'high') { setDataPoints((d) => Math.max(d, 3)); setDeclaration(true); } }, [c.requiredLevel]);
  useEffect(() => {
    void client.call('declarations.forCase', { id: c.id }).then((d) => { setStored(d); if (d.length) setChosen(d[d.length - 1]!.documentId); }, () => undefined);
  }, [c.id]);
  const needsNew = declaration && !chosen;
  const submit = async () => {
    setBusy(true);
    try {
      let declarationId: string | undefined;
      if (declaration) {
        declarationId = chosen || (await client.call('declarations.store', { id: c.id, signedName, signedOn })).documentId;
      }
      await client.call('cases.verify', { id: c.id, method, note, dataPoints, ...(declarationId ? { declarationId } : {}) });
      setError(null); setNote(''); setSignedName(''); onChanged();
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
      {raised && (
        <p className="note warn" role="status" data-testid="verification-raised">
          Discovery found sensitive personal information, so this deletion needs the high level before it is approved
          (11 CCR §7062(d): 3 data points and a signed declaration). Record it here.
        </p>
      )}
      {canVerify && !raised && <CodeSender c={c} onChanged={onChanged} />}
      {canVerify && (
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
          {declaration && stored.length > 0 && (
            <Field label="Declaration relied on" htmlFor="v-decl-doc">
              <select id="v-decl-doc" value={chosen} onChange={(e) => setChosen(e.target.value)}>
                {stored.map((d) => <option key={d.documentId} value={d.documentId}>{`Signed ${d.signedOn} (stored ${formatDate(d.storedAt)})`}</option>)}
                <option value="">Another one, received now</option>
              </select>
            </Field>
          )}
          {needsNew && (
            <div className="row" aria-label="Signed declaration">
              <Field label="Name signed" htmlFor="v-decl-name">
                <input id="v-decl-name" value={signedName} onChange={(e) => setSignedName(e.target.value)} maxLength={200} autoComplete="off" />
              </Field>
              <Field label="Signed on" htmlFor="v-decl-on">
                <input id="v-decl-on" type="date" value={signedOn} onChange={(e) => setSignedOn(e.target.value)} />
              </Field>
            </div>
          )}
          <Field label="Note (what was checked)" htmlFor="v-note">
            <input id="v-note" value={note} onChange={(e) => setNote(e.target.value)} required maxLength={2000} />
          </Field>
          <div><button type="submit" className="btn" disabled={busy || !note.trim() || (needsNew && (!signedName.trim() || !/^\d{4}-\d{2}-\d{2}$/u.test(signedOn)))}>Mark verified</button></div>
        </form>
      )}
      <ErrorNote error={error} />
    </Section>
  );
}
