// Dashboard: what is due, what is late, what needs staff (reports to deliver, failed sends...), how
// fast we close, the §7102 yearly metrics (charts with recharts) and the audit-chain check.
import { useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useApi } from '../api/context';
import { useAsync } from '../hooks';
import { ErrorNote, ProgressBar, Section } from '../components/ui';
import { consoleTimeZone, countingZonesNote, formatDate, STATUS_LABEL, TYPE_LABEL } from '../format';
import { NeedsStaffSection } from './NeedsStaffSection';
import { MetricsSection } from './MetricsSection';

type Check = { ok: boolean; entries: number; firstBad: { seq: number; problem: string } | null };

export function DashboardScreen() {
  const { client } = useApi();
  // No year picked yet: the back end's (its clock's year, which may be set for demos and tests).
  const [year, setYear] = useState<number | undefined>(undefined);
  const dash = useAsync(() => client.call('console.dashboard', year === undefined ? {} : { year }), [year]);
  const [check, setCheck] = useState<Check | null>(null);
  const [checking, setChecking] = useState(false);
  const [checkError, setCheckError] = useState<unknown>(null);
  const runCheck = async () => {
    setChecking(true); setCheckError(null);
    try { setCheck(await client.call('audit.verify', {})); } catch (e) { setCheckError(e); } finally { setChecking(false); }
  };
  const d = dash.data;
  // Times are shown in the console's zone; the overdue / due counts go by each jurisdiction's date.
  const zonesNote = d ? countingZonesNote(d.at, d.todayByZone, consoleTimeZone()) : null;
  const mark = zonesNote ? <sup aria-hidden="true">*</sup> : null;
  return (
    <div className="dashboard">
      <header className="page-head"><h1>Dashboard</h1>{d && <p className="muted" data-testid="dash-as-of">as of <time dateTime={d.at}>{formatDate(d.at)}</time></p>}</header>
      <ErrorNote error={dash.error} />
      {!d ? <ProgressBar value={null} label="Counting cases…" /> : (<>
        <div className="tiles">
          <a className="tile" href="#/queue"><span className="tile-n">{d.open.toLocaleString('en-US')}</span><span>open</span></a>
          <a className={d.overdue ? 'tile bad' : 'tile'} href="#/queue" aria-describedby={zonesNote ? 'count-zones' : undefined}><span className="tile-n">{d.overdue.toLocaleString('en-US')}</span><span>overdue{mark}</span></a>
          <div className={d.dueThisWeek ? 'tile warn' : 'tile'} aria-describedby={zonesNote ? 'count-zones' : undefined}><span className="tile-n">{d.dueThisWeek.toLocaleString('en-US')}</span><span>due in the next 7 days{mark}</span></div>
          <div className="tile"><span className="tile-n">{d.medianDaysToClose ?? '—'}</span><span>median days to close (last 12 months)</span></div>
        </div>
        {zonesNote && <p id="count-zones" className="muted small zones-note" data-testid="count-zones"><span aria-hidden="true">* </span>{zonesNote}</p>}
        <NeedsStaffSection />
        <div className="two">
          <Section title="Open and overdue by type">
            <div className="chart" role="img" aria-label={`Open cases by type: ${d.byType.map((t) => `${TYPE_LABEL[t.type]} ${t.open} open, ${t.overdue} overdue`).join('; ')}`}>
              <ResponsiveContainer width="100%" height={240}>
                <BarChart data={d.byType.map((t) => ({ name: TYPE_LABEL[t.type], Overdue: t.overdue, 'Due this week': t.dueThisWeek, 'Other open': t.open - t.overdue - t.dueThisWeek }))}>
                  <CartesianGrid strokeDasharray="3 3" stroke="#e3e8ef" />
                  <XAxis dataKey="name" tick={{ fontSize: 12 }} />
                  <YAxis allowDecimals={false} tick={{ fontSize: 12 }} />
                  <Tooltip />
                  <Legend />
                  <Bar dataKey="Overdue" stackId="a" fill="#c0392b" isAnimationActive={false} />
                  <Bar dataKey="Due this week" stackId="a" fill="#d68910" isAnimationActive={false} />
                  <Bar dataKey="Other open" stackId="a" fill="#2e6da4" isAnimationActive={false} />
                </BarChart>
              </ResponsiveContainer>
            </div>
          </Section>
          <Section title="Cases by status">
            <div className="chart" role="img" aria-label={`Cases by status: ${d.byStatus.filter((s) => s.count).map((s) => `${STATUS_LABEL[s.status]} ${s.count}`).join('; ')}`}>
              <ResponsiveContainer width="100%" height={240}>
                <BarChart layout="vertical" data={d.byStatus.filter((s) => s.count > 0).map((s) => ({ name: STATUS_LABEL[s.status], Cases: s.count }))} margin={{ left: 24 }}>
                  <CartesianGrid strokeDasharray="3 3" stroke="#e3e8ef" />
                  <XAxis type="number" allowDecimals={false} tick={{ fontSize: 12 }} />
                  <YAxis type="category" dataKey="name" width={100} tick={{ fontSize: 12 }} />
                  <Tooltip />
                  <Bar dataKey="Cases" fill="#4a7fb0" isAnimationActive={false} />
                </BarChart>
              </ResponsiveContainer>
            </div>
          </Section>
        </div>
        <MetricsSection year={year ?? d.year} onYear={setYear} />
      </>)}
      <Section title="Audit log integrity" actions={<button type="button" className="btn" onClick={() => void runCheck()} disabled={checking}>Check the audit chain</button>}>
        {checking && <ProgressBar value={null} label="Re-computing every hash…" />}
        {check && (check.ok
          ? <p className="ok-text" role="status" data-testid="audit-check">Intact: {check.entries.toLocaleString('en-US')} entries, every hash links to the one before.</p>
          : <p className="bad-text" role="alert" data-testid="audit-check">Broken at entry #{check.firstBad?.seq}: {check.firstBad?.problem}</p>)}
        {!check && !checking && <p className="muted">Re-computes the hash chain of the whole audit log and names the first altered or removed entry.</p>}
        <ErrorNote error={checkError} />
      </Section>
    </div>
  );
}
