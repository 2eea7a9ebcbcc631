// Shared and exempt rows awaiting a decision (approve / set aside), from the data-map ops.
import type { CaseView } from '../../../../shared/domain/case';
import { useApi } from '../../api/context';
import { Section } from '../../components/ui';

export function ReviewPanel({ c }: { c: CaseView; onChanged: () => void }) {
  const { ops } = useApi();
  if (!ops.has('review.list')) {
    return c.status === 'in_review' ? (
      <Section title="Review" id="review"><p className="muted">Row-level review is not available in this back end; the counts above come from discovery.</p></Section>
    ) : null;
  }
  return null;
}
