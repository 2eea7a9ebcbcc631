// Messages sent on the case (acknowledgement, codes, extension notice, result).
import type { CaseView } from '../../../../shared/domain/case';
import type { AuditEntryView } from '../../../../shared/app/contract/cases';
import { Section } from '../../components/ui';
import { formatDate } from '../../format';

export function MessagesPanel({ audit }: { c: CaseView; audit: AuditEntryView[] }) {
  const sent = audit.filter((a) => /^message\./u.test(a.action) || a.action === 'response.sent');
  return (
    <Section title="Messages" id="messages">
      {sent.length === 0 ? <p className="muted">No messages sent yet.</p> : (
        <ul className="history">
          {sent.map((m) => (
            <li key={m.seq}><time>{formatDate(m.at)}</time> {String(m.detail.channel ?? '')} {String(m.detail.template ?? m.action)}
              {typeof m.detail.providerMessageId === 'string' ? <span className="muted"> · {m.detail.providerMessageId}</span> : null}</li>
          ))}
        </ul>
      )}
    </Section>
  );
}
