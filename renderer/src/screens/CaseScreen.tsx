// One case: everything staff need to work it, top to bottom in the order the work happens.
// While the back end works on its own (discovery, erasure, checking, responding) the screen polls
// and shows a progress bar (not while a failed step waits for staff).
import { useApi } from '../api/context';
import { useAsync, useInterval } from '../hooks';
import { BUSY_STATUSES, CHANNEL_LABEL, STATUS_LABEL, TYPE_LABEL, formatDate } from '../format';
import { ErrorNote, ProgressBar, StatusBadge } from '../components/ui';
import { IdentitiesCard } from './case/IdentitiesCard';
import { VerificationCard } from './case/VerificationCard';
import { DeadlineCard } from './case/DeadlineCard';
import { WorkCard } from './case/WorkCard';
import { AuditTimeline } from './case/AuditTimeline';
import { SignoffCard } from './case/SignoffCard';
import { AppealCard } from './case/AppealCard';
import { CaseActions } from './case/CaseActions';
import { DENIAL_REASON_LABEL } from './case/words';

export function CaseScreen({ id }: { id: string }) {
  const { client } = useApi();
  const kase = useAsync(() => client.call('cases.get', { id }), [id]);
  const audit = useAsync(() => client.call('cases.audit', { id }), [id]);
  const c = kase.data?.id === id ? kase.data : undefined;
  // A step that failed (a send to retry, a report waiting for staff delivery) is not work going on:
  // no progress bar and no polling until staff act.
  const waiting = !!c && (c.status === 'received' || c.status === 'responding') && (c.failure !== null || c.waitingFor === 'staff_delivery');
  const busy = !!c && BUSY_STATUSES.has(c.status) && !waiting;
  const reload = () => { kase.reload(); audit.reload(); };
  useInterval(reload, 800, busy);

  if (kase.error && !c) return <div><p><a href="#/queue">← Queue</a></p><ErrorNote error={kase.error} /></div>;
  if (!c) return <p className="muted">Loading case…</p>;
  return (
    <div className="case">
      <p className="crumbs"><a href="#/queue">← Queue</a></p>
      <header className="page-head case-head">
        <div>
          <h1>{c.id}</h1>
          <p className="muted">{TYPE_LABEL[c.type]} request · {c.strategy === 'connected_pii' ? 'connected PII' : 'exact match'} · {c.jurisdiction} · via {CHANNEL_LABEL[c.channel]} · received {formatDate(c.receivedAt)}</p>
        </div>
        <div className="head-status"><StatusBadge status={c.status} /></div>
      </header>
      {busy && <ProgressBar value={null} label={`${STATUS_LABEL[c.status]}…`} />}
      {c.denial && <div className="note warn" role="status">Denied: {DENIAL_REASON_LABEL[c.denial.reason]}{c.denial.note ? ` — ${c.denial.note}` : ''}</div>}
      <CaseActions c={c} onChanged={reload} />
      <div className="case-grid">
        <div className="col">
          <IdentitiesCard c={c} onChanged={audit.reload} />
          <VerificationCard c={c} onChanged={reload} />
          <DeadlineCard c={c} audit={audit.data ?? []} onChanged={reload} />
          <AppealCard c={c} onChanged={reload} />
        </div>
        <div className="col wide">
          <WorkCard c={c} audit={audit.data ?? []} onChanged={reload} />
          <SignoffCard c={c} version={audit.data?.length ?? 0} />
          <AuditTimeline entries={audit.data ?? []} />
        </div>
      </div>
    </div>
  );
}
