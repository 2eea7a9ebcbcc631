// The dashboard's attention list (`messages.attention`): access reports waiting for staff delivery
// first, then sends that failed or stuck, cases locked for verification codes, and processor
// notices nobody confirmed. Each row links to its case.
import type { Output } from '../api/client';
import { useApi } from '../api/context';
import { useAsync } from '../hooks';
import { ErrorNote, Section } from '../components/ui';
import { formatDate } from '../format';

interface Item { key: string; caseId: string | null; what: string; since: string | null; kind: 'delivery' | 'failed' | 'locked' | 'processor' }
type Attention = Output<'messages.attention'>;

const KIND_LABEL: Record<Item['kind'], string> = { delivery: 'Deliver report', failed: 'Send failed', locked: 'Locked', processor: 'Unconfirmed' };

export function attentionItems(a: Attention): Item[] {
  const items: Item[] = [];
  for (const m of a.messages) {
    const since = m.sentAt ?? m.createdAt;
    if (m.status === 'pending' && m.template === 'access-report') {
      items.push({ key: m.id, caseId: m.caseId, kind: 'delivery', since, what: 'Access report waiting for staff delivery (no email address): print it, deliver it, record the delivery' });
    } else if (m.status === 'pending') {
      items.push({ key: m.id, caseId: m.caseId, kind: 'delivery', since, what: `${m.template} waiting for staff` });
    } else {
      items.push({ key: m.id, caseId: m.caseId, kind: 'failed', since, what: m.status === 'failed' ? `${m.template} by ${m.channel} failed${m.error ? `: ${m.error}` : ''}` : `${m.template} by ${m.channel} stuck while sending` });
    }
  }
  for (const l of a.lockedCases) items.push({ key: `lock:${l.caseId}`, caseId: l.caseId, kind: 'locked', since: l.lockedAt, what: `Locked for email codes after ${l.failures} wrong entries: verify another way or unlock` });
  for (const n of a.unconfirmedNotices) items.push({ key: `notice:${n.id}`, caseId: n.caseId, kind: 'processor', since: n.sentAt, what: `${n.processorName} (${n.system}) has not confirmed the deletion notice` });
  const order: Item['kind'][] = ['delivery', 'failed', 'locked', 'processor'];
  return items.sort((x, y) => order.indexOf(x.kind) - order.indexOf(y.kind) || (x.since ?? '').localeCompare(y.since ?? ''));
}

export function NeedsStaffSection() {
  const { client, ops } = useApi();
  const has = ops.has('messages.attention');
  const att = useAsync(async () => (has ? client.call('messages.attention', {}) : null), [has]);
  if (!has) return null;
  const items = att.data ? attentionItems(att.data) : [];
  const deliveries = items.filter((i) => i.kind === 'delivery').length;
  return (
    <Section title="Needs staff" id="needs-staff" actions={att.data && (
      <span className="muted small" data-testid="needs-staff-count">{items.length} item{items.length === 1 ? '' : 's'}{deliveries ? ` · ${deliveries} report${deliveries === 1 ? '' : 's'} to deliver` : ''}</span>
    )}>
      <ErrorNote error={att.error} />
      {att.data && (items.length === 0 ? <p className="muted">Nothing is waiting for staff.</p> : (
        <table className="grid attention">
          <colgroup><col className="a-case" /><col className="a-kind" /><col /><col className="a-since" /></colgroup>
          <thead><tr><th scope="col">Case</th><th scope="col">Kind</th><th scope="col">What to do</th><th scope="col">Since</th></tr></thead>
          <tbody>
            {items.map((i) => (
              <tr key={i.key} className={`att-${i.kind}`}>
                <td>{i.caseId ? <a className="case-link" href={`#/case/${i.caseId}`}>{i.caseId}</a> : '—'}</td>
                <td><span className={`badge att-badge-${i.kind}`}>{KIND_LABEL[i.kind]}</span></td>
                <td className="wrap-any">{i.what}</td>
                <td className="nowrap">{formatDate(i.since)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}
    </Section>
  );
}
