// Messages sent on the case (acknowledgement, codes, extension notice, result) from the responses
// ops (messages.list) when the back end offers them; otherwise from the audit trail. Each message
// opens to what the consumer received (MessageBody: the HTML as sent, shown inertly).
import { Fragment, useState } from 'react';
import type { CaseView } from '../../../../shared/domain/case';
import type { AuditEntryView } from '../../../../shared/app/contract/cases';
import type { MessageView } from '../../../../shared/app/contract/responses';
import { useApi } from '../../api/context';
import { useAsync } from '../../hooks';
import { ErrorNote, Section } from '../../components/ui';
import { formatDate } from '../../format';
import { ReportDelivery, pendingReport } from './ReportDelivery';
import { MessageBody } from './MessageBody';

const DELIVERY_LABEL: Record<string, string> = { post: 'by post', in_person: 'in person', other: 'by staff' };

/** The outcome in a few words (a pending report's long reason is explained by the delivery block). */
function outcome(m: MessageView): string {
  if (m.status === 'pending') return m.template === 'access-report' ? 'pending: staff delivery' : 'pending';
  if (m.status === 'sent' && m.provider === 'staff' && m.delivery) return `delivered ${DELIVERY_LABEL[m.delivery] ?? m.delivery}`;
  return `${m.status}${m.error ? ` — ${m.error}` : ''}`;
}

export function MessagesPanel({ c, audit, onChanged }: { c: CaseView; audit: AuditEntryView[]; onChanged: () => void }) {
  const { client, ops } = useApi();
  const has = ops.has('messages.list');
  const msgs = useAsync(async () => (has ? (await client.callDynamic('messages.list', { id: c.id })) as MessageView[] : null), [c.id, c.status, audit.length, has]);
  const fromAudit = audit.filter((a) => /^message\./u.test(a.action));
  const waiting = c.status === 'responding' && ops.has('responses.deliver') && pendingReport(msgs.data) !== null;
  const canOpen = ops.has('messages.body');
  const [open, setOpen] = useState<string | null>(null);
  return (
    <Section title="Messages" id="messages">
      <ErrorNote error={msgs.error} />
      {waiting && <ReportDelivery c={c} onChanged={onChanged} />}
      {msgs.data ? (msgs.data.length === 0 ? <p className="muted">No messages sent yet.</p> : (
        <table className="grid messages">
          <colgroup><col className="m-when" /><col className="m-template" /><col className="m-channel" /><col className="m-to" /><col className="m-status" /><col className="m-provider" /></colgroup>
          <thead><tr><th scope="col">When</th><th scope="col">Message</th><th scope="col">Channel</th><th scope="col">To</th><th scope="col">Delivery</th><th scope="col">Provider id</th></tr></thead>
          <tbody>
            {msgs.data.map((m) => (
              <Fragment key={m.id}>
                <tr className={open === m.id ? 'open' : undefined}>
                  <td>{formatDate(m.sentAt ?? m.createdAt)}</td>
                  <td className="hyphens">
                    {canOpen ? (
                      <button type="button" className="linklike" aria-expanded={open === m.id} aria-controls={`msg-${m.id}`}
                        onClick={() => setOpen((o) => (o === m.id ? null : m.id))}>{m.template}</button>
                    ) : m.template}
                  </td>
                  <td>{m.channel}</td><td className="masked wrap-any">{m.recipient}</td>
                  <td className={m.status === 'failed' ? 'bad-text' : m.status === 'pending' ? 'warn-text' : undefined}>{outcome(m)}</td>
                  <td className="muted small mono wrap-any">{m.providerMessageId ?? '—'}</td>
                </tr>
                {open === m.id && <tr id={`msg-${m.id}`} className="message-row"><td colSpan={6}><MessageBody caseId={c.id} m={m} /></td></tr>}
              </Fragment>
            ))}
          </tbody>
        </table>
      )) : fromAudit.length === 0 ? <p className="muted">No messages sent yet.</p> : (
        <ul className="history">
          {fromAudit.map((m) => <li key={m.seq}><time>{formatDate(m.at)}</time> {m.action} {String(m.detail.template ?? '')}</li>)}
        </ul>
      )}
    </Section>
  );
}
