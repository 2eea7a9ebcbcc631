// Shared and exempt rows awaiting a decision, in the words of the request type (erase or keep for
// a deletion; include or withhold for an access report; correct or leave for a correction). A
// shared row also belongs to someone else (a shared address, a card used on another person's
// order), so nothing happens to it without a person deciding. Each row shows what it holds,
// masked, and whose else it is (console.reviewRows); exempt rows are kept for their reason.
import { useState } from 'react';
import type { CaseView } from '../../../../shared/domain/case';
import type { ReviewItemView } from '../../../../shared/app/contract/datamap';
import { useApi } from '../../api/context';
import { useAsync } from '../../hooks';
import { ErrorNote, Section } from '../../components/ui';
import { formatDate } from '../../format';
import { TYPE_WORDS } from './words';

const keyText = (k: Record<string, unknown> | null) => (k ? Object.entries(k).map(([f, v]) => `${f} ${String(v)}`).join(', ') : '—');

export function ReviewPanel({ c, refreshKey, onChanged }: { c: CaseView; refreshKey: number; onChanged: () => void }) {
  const { client, ops } = useApi();
  const list = useAsync(() => client.call('review.list', { id: c.id }), [c.id, c.status, refreshKey]);
  const rows = useAsync(async () => (ops.has('console.reviewRows') ? client.call('console.reviewRows', { id: c.id }) : null), [c.id, c.status, refreshKey]);
  const [error, setError] = useState<{ itemId: string; error: unknown } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const items = list.data?.items ?? [];
  if (!items.length && !list.error) return null;
  const words = TYPE_WORDS[c.type];
  const canDecide = c.status === 'in_review';
  const detail = new Map((rows.data?.items ?? []).map((r) => [r.itemId, r]));
  const decisionText = { pending: canDecide ? 'Awaiting decision' : 'Not decided', approved: words.reviewApproved, set_aside: words.reviewSetAsideDone } as const;
  const decide = async (it: ReviewItemView, decision: 'approved' | 'set_aside' | 'pending') => {
    setBusy(it.itemId);
    try { await client.call('review.decide', { id: c.id, itemId: it.itemId, decision }); setError(null); list.reload(); onChanged(); } catch (e) { setError({ itemId: it.itemId, error: e }); } finally { setBusy(null); }
  };
  const pending = list.data?.pending ?? 0;
  const headline = !canDecide ? (c.status === 'closed' || c.status === 'denied' ? 'Case closed' : '') : pending ? `${pending} awaiting a decision` : 'All decided';
  return (
    <Section title="Review" id="review" actions={<span className="muted small" data-testid="review-headline">{headline}</span>}>
      <table className="grid review">
        <thead><tr><th scope="col">Where</th><th scope="col">What the row holds</th><th scope="col">Why it needs a person</th><th scope="col">Decision</th>{canDecide && <th scope="col"><span className="sr-only">Actions</span></th>}</tr></thead>
        <tbody>
          {items.map((it) => {
            const d = detail.get(it.itemId);
            const values = d ? Object.entries(d.values).filter(([f]) => !(it.primaryKey && f in it.primaryKey)) : [];
            const label = `${it.collection} row ${keyText(it.primaryKey)}`;
            return (
              <tr key={it.itemId}>
                <td>{it.system} · {it.collection}<div className="muted small mono">{keyText(it.primaryKey)}</div></td>
                <td className="masked small row-values">{values.length ? values.map(([f, v], i) => <span key={f}>{i ? ' · ' : ''}<span className="muted">{f}</span> {v}</span>) : '—'}</td>
                <td>
                  <span className={`badge kind-${it.kind}`}>{it.kind === 'other_person' ? 'other person' : it.kind === 'shared' ? 'shared' : 'exempt'}</span>{' '}
                  {d?.otherPerson ? <>Also another person&rsquo;s: <strong>{d.otherPerson}</strong></> : it.reason}
                </td>
                <td>{it.kind === 'exempt' ? 'Kept (exempt)' : it.kind === 'other_person' ? 'Another person\u2019s: never changed' : decisionText[it.decision]}{it.decidedBy ? <span className="muted small"> · {it.decidedBy}, {formatDate(it.decidedAt)}</span> : null}
                  {error?.itemId === it.itemId && <ErrorNote error={error.error} />}
                </td>
                {canDecide && (
                  <td>
                    {it.kind === 'exempt' || it.kind === 'other_person' ? null : it.decision === 'pending' ? (
                      <div className="row-actions">
                        <button type="button" className="btn ghost small-btn" disabled={busy === it.itemId} aria-label={`${words.reviewApprove}: ${label}`} onClick={() => void decide(it, 'approved')}>{words.reviewApprove}</button>
                        <button type="button" className="btn ghost small-btn" disabled={busy === it.itemId} aria-label={`${words.reviewSetAside}: ${label}`} onClick={() => void decide(it, 'set_aside')}>{words.reviewSetAside}</button>
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
      <ErrorNote error={list.error} />
    </Section>
  );
}
