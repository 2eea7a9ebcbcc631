// Who prepared (discovery, review decisions), who verified and who approved a case, from the API's
// cases.signoff (the audit log); and, for an erasure under the four-eyes rule, that a second
// approver must approve it. The rule itself lives in the API: this only shows it.
import { useApi } from '../../api/context';
import { useAsync } from '../../hooks';
import { formatDate } from '../../format';
import type { CaseView } from '../../../../shared/domain/case';

const who = (actor: string) => actor.replace(/^staff:/u, '');

export function SignoffCard({ c, version }: { c: CaseView; version: number }) {
  const { client, ops } = useApi();
  const s = useAsync(() => (ops.has('cases.signoff') ? client.call('cases.signoff', { id: c.id }) : Promise.resolve(null)), [c.id, c.status, version, ops]);
  const d = s.data;
  if (!d) return null;
  const list = (xs: string[]) => (xs.length ? xs.map(who).join(', ') : '—');
  return (
    <section className="card" aria-label="Sign-off" data-testid="signoff">
      <div className="card-head"><h2>Sign-off</h2>{d.fourEyes ? <span className="signoff-chip" title="Executing the deletion plan needs an approver who did not prepare or verify this case">Four-eyes</span> : null}</div>
      <dl className="signoff">
        <div><dt>Prepared by</dt><dd data-testid="prepared-by">{list(d.preparedBy)}</dd></div>
        <div><dt>Verified by</dt><dd>{list(d.verifiedBy)}</dd></div>
        <div><dt>Approved by</dt><dd data-testid="approved-by">{d.approvedBy ? `${who(d.approvedBy)} · ${formatDate(d.approvedAt!)}` : d.fourEyes ? 'awaiting a second approver' : '—'}</dd></div>
      </dl>
    </section>
  );
}
