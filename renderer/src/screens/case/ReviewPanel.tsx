// Shared and exempt rows awaiting a decision: approve (erase) or set aside (keep). A shared row also
// belongs to someone else (a shared address, a card used on another person's order), so it is never
// erased without a person deciding. Exempt rows are kept for their retention reason.
import { useState } from 'react';
import type { CaseView } from '../../../../shared/domain/case';
import type { ReviewItemView } from '../../../../shared/app/contract/datamap';
import { useApi } from '../../api/context';
import { useAsync } from '../../hooks';
import { ErrorNote, Section } from '../../components/ui';
import { formatDate } from '../../format';

const keyText = (k: Record<string, unknown> | null) => (k ? Object.entries(k).map(([f, v]) => `${f}=${String(v)}`).join(', ') : '—');
const DECISION = { pending: 'Awaiting decision', approved: 'Approved for erasure', set_aside: 'Set aside (kept)' } as const;

export function ReviewPanel({ c, refreshKey, onChanged }: { c: CaseView; refreshKey: number; onChanged: () => void }) {
  const { client } = useApi();
  const list = useAsync(() => client.call('review.list', { id: c.id }), [c.id, c.status, refreshKey]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const items = list.data?.items ?? [];
  if (!items.length && !list.error) return null;
  const canDecide = c.status === 'in_review';
  const decide = async (it: ReviewItemView, decision: 'approved' | 'set_aside' | 'pending') => {
    setBusy(it.itemId);
    try { await client.call('review.decide', { id: c.id, itemId: it.itemId, decision }); setError(null); list.reload(); onChanged(); } catch (e) { setError(e); } finally { setBusy(null); }
  };
  return (
    <Section title="Review" id="review" actions={<span className="muted small">{list.data?.pending ? `${list.data.pending} awaiting a decision` : 'All decided'}</span>}>
      <table className="grid">
        <thead><tr><th scope="col">Where</th><th scope="col">Row</th><th scope="col">Why</th><th scope="col">Decision</th>{canDecide && <th scope="col"><span className="sr-only">Actions</span></th>}</tr></thead>
        <tbody>
          {items.map((it) => {
            const label = `${it.collection} row ${keyText(it.primaryKey)}`;
            return (
              <tr key={it.itemId}>
                <td>{it.system} · {it.collection}</td>
                <td className="mono">{keyText(it.primaryKey)}</td>
                <td><span className={`badge kind-${it.kind}`}>{it.kind === 'other_person' ? 'other person' : it.kind}</span> {it.reason}</td>
                <td>{it.kind === 'exempt' ? 'Kept (exempt)' : it.kind === 'other_person' ? 'Another person\u2019s: never changed' : DECISION[it.decision]}{it.decidedBy ? <span className="muted small"> · {it.decidedBy}, {formatDate(it.decidedAt)}</span> : null}</td>
                {canDecide && (
                  <td>
                    {it.kind === 'exempt' || it.kind === 'other_person' ? null : it.decision === 'pending' ? (
                      <div className="row-actions">
                        <button type="button" className="btn ghost small-btn" disabled={busy === it.itemId} aria-label={`Approve erasure of ${label}`} onClick={() => void decide(it, 'approved')}>Approve</button>
                        <button type="button" className="btn ghost small-btn" disabled={busy === it.itemId} aria-label={`Set aside ${label}`} onClick={() => void decide(it, 'set_aside')}>Set aside</button>
                      </div>
                    ) : (
                      <button type="button" className="linklike" aria-label={`Undo decision on ${label}`} onClick={() => void decide(it, 'pending')}>Undo</button>
                    )}
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
      <ErrorNote error={error ?? list.error} />
    </Section>
  );
}
