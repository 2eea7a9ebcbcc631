// What discovery found, per system and collection: rows, how they were reached, shared and exempt
// rows, and systems that failed (a failed system is a result row, not a lost run).
import type { CaseView } from '../../../../shared/domain/case';
import { useApi } from '../../api/context';
import { useAsync } from '../../hooks';
import { ErrorNote, Section } from '../../components/ui';
import { formatDate } from '../../format';

export function DiscoveryPanel({ c, refreshKey }: { c: CaseView; refreshKey: number }) {
  const { client } = useApi();
  const d = useAsync(() => client.call('datamap.discovery', { id: c.id }), [c.id, c.status, refreshKey]);
  const r = d.data?.result;
  return (
    <Section title="Discovery" id="discovery" actions={r ? <span className="muted small">run {formatDate(r.at)} · {r.strategy === 'connected_pii' ? 'connected PII' : 'exact'}</span> : undefined}>
      <ErrorNote error={d.error} />
      {!r ? (
        <p className="muted">{c.status === 'verified' ? 'Ready: run discovery to find this person\'s data in every system of the data map.' : c.status === 'discovering' ? 'Searching every system…' : 'Discovery runs once the identity is verified.'}</p>
      ) : (<>
        <table className="grid">
          <thead><tr><th scope="col">System · collection</th><th scope="col">Rows</th><th scope="col">Shared</th><th scope="col">Exempt</th><th scope="col">Reached via</th></tr></thead>
          <tbody>
            {r.collections.map((col) => (
              <tr key={`${col.system}/${col.collection}`}>
                <td>{col.system} · {col.collection}</td>
                <td>{col.rows.length}</td>
                <td>{col.rows.filter((x) => x.shared).length || '—'}</td>
                <td>{col.rows.filter((x) => x.exempt).length || '—'}</td>
                <td className="muted small">{[...new Set(col.rows.map((x) => x.via))].join(', ')}</td>
              </tr>
            ))}
            {r.collections.length === 0 && <tr><td colSpan={5} className="muted">Nothing found in {r.systems.length} system(s).</td></tr>}
          </tbody>
        </table>
        {r.errors.length > 0 && (
          <div className="error-note" role="alert">{r.errors.map((e) => <div key={e.system}><strong>{e.system}</strong>: {e.error}</div>)}</div>
        )}
        <p className="muted small">Systems searched: {r.systems.join(', ') || 'none'}.</p>
      </>)}
    </Section>
  );
}
