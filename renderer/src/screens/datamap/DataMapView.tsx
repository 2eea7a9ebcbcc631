// The registered systems and their data maps: collections (how each is erased, retention), fields
// with their data categories, identity fields, primary keys and references; legal hold per system;
// PII discovery (a draft map to review and save) when the back end offers it.
import { useState } from 'react';
import type { SystemView } from '../../../../shared/app/contract/datamap';
import { useApi } from '../../api/context';
import { useAsync } from '../../hooks';
import { ErrorNote, Section } from '../../components/ui';
import { formatDate } from '../../format';
import { PiiDiscoveryPanel } from './PiiDiscoveryPanel';

function SystemCard({ s, onChanged }: { s: SystemView; onChanged: () => void }) {
  const { client } = useApi();
  const [open, setOpen] = useState<string | null>(s.map.collections[0]?.name ?? null);
  const [holdText, setHoldText] = useState('');
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const setHold = async (reason: string | null) => {
    try { await client.call('datamap.systems.hold', { name: s.name, reason }); setAsking(false); setHoldText(''); setError(null); onChanged(); } catch (e) { setError(e); }
  };
  const personal = s.map.collections.reduce((n, c) => n + c.fields.filter((f) => f.categories.some((x) => x.startsWith('user.'))).length, 0);
  return (
    <Section title={`${s.name}`} id={`system-${s.name}`} actions={(<>
      <span className="muted small">{s.engine} · dataset {s.dataset} · {s.map.collections.length} collections · {personal} personal fields · updated {formatDate(s.updatedAt)}</span>
      {s.legalHold
        ? <button type="button" className="btn ghost" onClick={() => void setHold(null)}>Lift legal hold</button>
        : <button type="button" className="btn ghost" onClick={() => setAsking(true)}>Legal hold…</button>}
    </>)}>
      {s.legalHold && <div className="note warn" role="status">Legal hold: {s.legalHold} — nothing in this system is erased.</div>}
      {asking && (
        <form className="inline-form" onSubmit={(e) => { e.preventDefault(); void setHold(holdText); }}>
          <div className="field grow">
            <label htmlFor={`hold-${s.name}`}>Reason for the legal hold</label>
            <input id={`hold-${s.name}`} value={holdText} onChange={(e) => setHoldText(e.target.value)} required maxLength={500} autoFocus />
          </div>
          <button type="submit" className="btn" disabled={!holdText.trim()}>Put on hold</button>
          <button type="button" className="btn ghost" onClick={() => setAsking(false)}>Cancel</button>
        </form>
      )}
      <div className="dm">
        <ul className="dm-list" aria-label={`Collections of ${s.name}`}>
          {s.map.collections.map((c) => (
            <li key={c.name}>
              <button type="button" className={open === c.name ? 'dm-item active' : 'dm-item'} aria-pressed={open === c.name} onClick={() => setOpen(c.name)}>
                <span>{c.name}</span>
                <span className="muted small">{c.erasure}{c.retention ? ` · keep (${c.retention.reason})` : ''}</span>
              </button>
            </li>
          ))}
        </ul>
        {s.map.collections.filter((c) => c.name === open).map((c) => (
          <div key={c.name} className="dm-detail">
            <h3 className="sub">{c.name}</h3>
            {c.description && <p className="muted">{c.description}</p>}
            <p className="small">Erasure: <strong>{c.erasure === 'delete' ? 'delete the person\'s rows' : 'mask personal fields'}</strong>
              {c.retention ? <> · Retention: <strong>{c.retention.reason}</strong>{c.retention.note ? ` (${c.retention.note})` : ''}</> : null}
              {c.optOut ? <> · Opt-out sets <code>{c.optOut.field} = {String(c.optOut.value)}</code></> : null}</p>
            <table className="grid">
              <thead><tr><th scope="col">Field</th><th scope="col">Categories</th><th scope="col">Role</th><th scope="col">References</th><th scope="col">Masking</th></tr></thead>
              <tbody>
                {c.fields.map((f) => (
                  <tr key={f.name}>
                    <td className="mono">{f.name}</td>
                    <td>{f.categories.length ? f.categories.map((x) => <span key={x} className="badge cat">{x}</span>) : <span className="muted">—</span>}</td>
                    <td className="small">{[f.primaryKey ? 'primary key' : '', f.identity ? `identity: ${f.identity}` : '', f.addressPart ? `address ${f.addressPart}` : ''].filter(Boolean).join(' · ') || '—'}</td>
                    <td className="small mono">{f.references.map((r) => `${r.direction === 'from' ? '←' : r.direction === 'to' ? '→' : '↔'} ${r.collection}.${r.field}`).join(', ') || '—'}</td>
                    <td className="small">{f.mask ? f.mask.strategy : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
      </div>
      <ErrorNote error={error} />
    </Section>
  );
}

export function DataMapView() {
  const { client, ops } = useApi();
  const systems = useAsync(() => client.call('datamap.systems', {}), []);
  const list = systems.data?.systems ?? [];
  return (
    <>
      <ErrorNote error={systems.error} />
      {systems.data && ops.has('datamap.piiDiscovery.start') && <PiiDiscoveryPanel systems={list} onSaved={systems.reload} />}
      {systems.data && list.length === 0 && (
        <Section title="No systems yet"><p>Register a system with <code>privacy-desk datamap</code>, or load the demo shop.</p></Section>
      )}
      {list.map((s) => <SystemCard key={s.name} s={s} onChanged={systems.reload} />)}
    </>
  );
}
