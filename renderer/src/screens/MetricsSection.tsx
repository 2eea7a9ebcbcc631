// The dashboard's §7102 figures (compliance.metrics): one row per right for one year, of one
// jurisdiction or all, the scope in words under the table, and the CSV ready to publish.
import { useState } from 'react';
import { JURISDICTIONS, type Jurisdiction } from '../../../shared/domain/case';
import { RIGHT_LABEL } from '../../../shared/domain/compliance-metrics';
import { useApi } from '../api/context';
import { useAsync } from '../hooks';
import { ErrorNote, Section } from '../components/ui';

export function MetricsSection({ year, onYear }: { year: number; onYear: (y: number) => void }) {
  const { client } = useApi();
  const [jurisdiction, setJurisdiction] = useState<Jurisdiction | ''>('CA');
  const m = useAsync(() => client.call('compliance.metrics', { year, ...(jurisdiction ? { jurisdiction } : {}) }), [year, jurisdiction]);
  const csvHref = m.data ? `data:text/csv;charset=utf-8,${encodeURIComponent(m.data.csv)}` : undefined;
  return (
    <Section title={`Yearly metrics (CCPA regs §7102), ${year}`} actions={(
      <span className="year-pick">
        <label htmlFor="m-year">Year</label>
        <input id="m-year" type="number" min={2000} max={2100} value={year} onChange={(e) => { const y = Number(e.target.value); if (y >= 2000 && y <= 2100) onYear(y); }} />
        <label htmlFor="m-jur">Jurisdiction</label>
        <select id="m-jur" value={jurisdiction} onChange={(e) => setJurisdiction(e.target.value as Jurisdiction | '')}>
          <option value="">All</option>{JURISDICTIONS.map((j) => <option key={j} value={j}>{j}</option>)}
        </select>
        {csvHref && <a className="btn ghost" href={csvHref} download={`ccpa-7102-metrics-${year}-${jurisdiction || 'all'}.csv`}>Download CSV</a>}
      </span>
    )}>
      <ErrorNote error={m.error} />
      {m.data && (<>
        <table className="metrics" data-testid="metrics-7102">
          <thead><tr><th scope="col">Right</th><th scope="col">Received</th><th scope="col">Complied (whole)</th><th scope="col">Complied (in part)</th><th scope="col">Denied</th><th scope="col">Denial grounds</th><th scope="col">Withdrawn</th><th scope="col">Pending</th><th scope="col">Mean days</th><th scope="col">Median days</th></tr></thead>
          <tbody>
            {m.data.rows.map((r) => (
              <tr key={r.right}>
                <th scope="row">{RIGHT_LABEL[r.right]}</th><td>{r.received}</td><td>{r.compliedInWhole}</td><td>{r.compliedInPart}</td><td>{r.denied}</td>
                <td className="small">unverifiable {r.deniedByReason.unverifiable} · exempt {r.deniedByReason.exempt} · duplicate {r.deniedByReason.duplicate}</td>
                <td>{r.withdrawn}</td><td>{r.pending}</td><td>{r.meanDays ?? '—'}</td><td>{r.medianDays ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="muted small" data-testid="metrics-scope">{m.data.scope.counts}</p>
        <p className="muted small">{m.data.citation}</p>
      </>)}
    </Section>
  );
}
