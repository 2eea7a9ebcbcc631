// The queue's "open appeals" view: every appeal awaiting our answer, earliest answer date first
// (appeals.list; the reasons stay on the case screen).
import { useApi } from '../api/context';
import { useAsync } from '../hooks';
import { DaysLeft, ErrorNote } from '../components/ui';
import { formatDate } from '../format';

export function OpenAppealsPanel() {
  const { client } = useApi();
  const appeals = useAsync(() => client.call('appeals.list', { status: 'open' }), []);
  const items = appeals.data?.items ?? [];
  return (
    <section className="card" aria-labelledby="open-appeals-h" data-testid="open-appeals">
      <header className="card-head"><h2 id="open-appeals-h">Open appeals ({appeals.data ? items.length : '…'})</h2></header>
      <ErrorNote error={appeals.error} />
      {appeals.data && !items.length && <p className="empty">No appeal awaits an answer.</p>}
      {items.length > 0 && (
        <table className="table">
          <thead><tr><th>Case</th><th>Jur.</th><th>Received</th><th>Answer by</th><th>Left</th></tr></thead>
          <tbody>
            {items.map((a) => (
              <tr key={a.id}>
                <td><a href={`#/case/${a.caseId}`} className="case-link">{a.caseId}</a></td>
                <td>{a.jurisdiction}</td>
                <td className="muted">{formatDate(a.receivedOn)}</td>
                <td>{formatDate(a.deadlines.respond)}{a.extended ? ' (extended)' : ''}</td>
                <td><DaysLeft daysLeft={a.daysLeft} status="in_review" /></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
