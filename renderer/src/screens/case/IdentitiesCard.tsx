// Identities, masked; "Reveal" asks why, and the back end audits each reveal.
import { useState } from 'react';
import type { CaseView } from '../../../../shared/domain/case';
import { useApi } from '../../api/context';
import { Dl, ErrorNote, Section } from '../../components/ui';

export function IdentitiesCard({ c, onChanged }: { c: CaseView; onChanged: () => void }) {
  const { client } = useApi();
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const [plain, setPlain] = useState<Record<string, string> | null>(null);
  const [error, setError] = useState<unknown>(null);
  const reveal = async () => {
    try {
      setPlain(await client.call('cases.revealIdentities', { id: c.id, reason }));
      setAsking(false); setReason(''); setError(null); onChanged();
    } catch (e) { setError(e); }
  };
  const shown = plain ?? c.identitiesMasked;
  const entries = Object.entries(shown);
  return (
    <Section title="Identities" id="identities" actions={plain
      ? <button type="button" className="btn ghost" onClick={() => setPlain(null)}>Hide</button>
      : <button type="button" className="btn ghost" onClick={() => setAsking(true)} disabled={asking || !entries.length}>Reveal…</button>}>
      {entries.length ? <Dl items={entries.map(([k, v]) => [k.replace(/^custom:/u, ''), <span className={plain ? 'revealed' : 'masked'}>{v}</span>])} />
        : <p className="muted">No identities on file (purged after the retention period).</p>}
      {c.agent && (
        <p className="note">Authorized agent: <strong>{c.agent.name}</strong>{c.agent.organization ? ` (${c.agent.organization})` : ''} · permission on file: <code>{c.agent.permissionRef}</code></p>
      )}
      {asking && (
        <form className="inline-form" onSubmit={(e) => { e.preventDefault(); void reveal(); }}>
          <div className="field grow">
            <label htmlFor="reveal-reason">Why do you need to see them? (recorded in the audit log)</label>
            <input id="reveal-reason" value={reason} onChange={(e) => setReason(e.target.value)} autoFocus required maxLength={500} />
          </div>
          <button type="submit" className="btn" disabled={!reason.trim()}>Reveal</button>
          <button type="button" className="btn ghost" onClick={() => setAsking(false)}>Cancel</button>
        </form>
      )}
      <ErrorNote error={error} />
    </Section>
  );
}
