// The case's audit timeline (hash-chained log): who did what, when.
import type { AuditEntryView } from '../../../../shared/app/contract/cases';
import { Section } from '../../components/ui';
import { formatDate } from '../../format';

function summary(detail: Record<string, unknown>): string {
  const parts = Object.entries(detail)
    .filter(([, v]) => v !== null && v !== undefined && (typeof v !== 'object' || Array.isArray(v)))
    .slice(0, 5)
    .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : String(v)}`);
  return parts.join(' · ');
}

export function AuditTimeline({ entries }: { entries: AuditEntryView[] }) {
  return (
    <Section title="Audit timeline" id="audit">
      {entries.length === 0 ? <p className="muted">No entries yet.</p> : (
        <ol className="timeline" data-testid="audit-timeline">
          {entries.map((e) => (
            <li key={e.seq}>
              <time dateTime={e.at}>{formatDate(e.at)}</time>
              <span className="tl-action">{e.action}</span>
              <span className="tl-actor">{e.actor}</span>
              <span className="tl-detail muted">{summary(e.detail)}</span>
            </li>
          ))}
        </ol>
      )}
    </Section>
  );
}
