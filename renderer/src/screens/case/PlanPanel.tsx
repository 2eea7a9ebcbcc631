// The plan, in the words of the request type. A deletion: per system and collection, the rows
// deleted, masked and kept (set aside, exempt). Access: what was found and what the report will
// hold, with the report to preview before it goes. Correct, opt-out, limit: the writes planned (a
// value or a flag per field), never a deletion table. Approve opens a confirmation that says what
// will happen per system; a refusal shows in it. The executed changes once it has run.
import { useState } from 'react';
import type { CaseView } from '../../../../shared/domain/case';
import { meets } from '../../../../shared/domain/verification';
import { useApi } from '../../api/context';
import { useAsync } from '../../hooks';
import { Dl, ErrorNote, Section } from '../../components/ui';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { formatDate } from '../../format';
import { ERASES, TYPE_WORDS, WRITES } from './words';
import { ReportPreview } from './ReportPreview';
import { CorrectionForm } from './CorrectionForm';

export interface StepResult { at: string; result: Record<string, unknown> }
const n = (v: unknown) => (typeof v === 'number' ? v.toLocaleString('en-US') : '—');
const plural = (k: number, one: string, many = `${one}s`) => `${k.toLocaleString('en-US')} ${k === 1 ? one : many}`;


interface PlanCollection { system: string; collection: string; deleted: number; masked: number; updated: number; setAside: number; exempt: number; fields: string[] }

/** Per system: what the deletion does (the confirmation's summary). */
function bySystem(cols: PlanCollection[]): Array<{ system: string; deleted: number; masked: number; kept: number; lines: string[] }> {
  const out = new Map<string, { system: string; deleted: number; masked: number; kept: number; lines: string[] }>();
  for (const c of cols) {
    const s = out.get(c.system) ?? { system: c.system, deleted: 0, masked: 0, kept: 0, lines: [] };
    s.deleted += c.deleted; s.masked += c.masked; s.kept += c.setAside + c.exempt;
    const parts = [c.deleted ? `delete ${plural(c.deleted, 'row')}` : '', c.masked ? `mask ${plural(c.masked, 'row')} (${c.fields.join(', ')})` : '', c.setAside + c.exempt ? `keep ${c.setAside + c.exempt}` : ''].filter(Boolean);
    if (parts.length) s.lines.push(`${c.collection}: ${parts.join(', ')}`);
    out.set(c.system, s);
  }
  return [...out.values()];
}

function ErasureTable({ cols, totals }: { cols: PlanCollection[]; totals: Omit<PlanCollection, 'system' | 'collection' | 'fields'> }) {
  return (
    <table className="grid">
      <thead><tr><th scope="col">System · collection</th><th scope="col">Delete</th><th scope="col">Mask</th><th scope="col">Set aside</th><th scope="col">Exempt</th></tr></thead>
      <tbody>
        {cols.filter((col) => col.deleted + col.masked + col.setAside + col.exempt > 0).map((col) => (
          <tr key={`${col.system}/${col.collection}`}>
            <td>{col.system} · {col.collection}{col.fields.length ? <span className="muted small"> ({col.fields.join(', ')})</span> : null}</td>
            <td>{col.deleted || '—'}</td><td>{col.masked || '—'}</td><td>{col.setAside || '—'}</td><td>{col.exempt || '—'}</td>
          </tr>
        ))}
        <tr className="totals"><th scope="row">Total</th><td>{totals.deleted}</td><td>{totals.masked}</td><td>{totals.setAside}</td><td>{totals.exempt}</td></tr>
      </tbody>
    </table>
  );
}

/** Correct, opt-out, limit: the value or flag written per field, and what it replaces (masked). */
function WritesTable({ c, refreshKey }: { c: CaseView; refreshKey: number }) {
  const { client, ops } = useApi();
  const w = useAsync(async () => (ops.has('console.planWrites') ? client.call('console.planWrites', { id: c.id }) : null), [c.id, c.status, refreshKey]);
  const writes = w.data?.writes ?? [];
  if (w.error) return <ErrorNote error={w.error} />;
  if (!w.data) return null;
  if (!writes.length) {
    return <p className="muted" data-testid="writes-none">{c.type === 'correct' ? 'No write planned yet: enter what is wrong and the new value below.' : 'No system holds a flag for this person.'}</p>;
  }
  return (
    <table className="grid" data-testid="writes">
      <thead><tr><th scope="col">System · collection</th><th scope="col">Rows</th><th scope="col">{c.type === 'correct' ? 'Field: new value' : 'Flag set'}</th><th scope="col">Was</th></tr></thead>
      <tbody>
        {writes.map((x) => (
          <tr key={`${x.system}/${x.collection}`}>
            <td>{x.system} · {x.collection}</td>
            <td>{x.rows}</td>
            <td>{x.fields.map((f) => <div key={f.field}><code>{f.field}</code> → <strong>{f.to}</strong></div>)}</td>
            <td className="masked">{x.fields.map((f) => <div key={f.field}>{f.from.join(', ')}</div>)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Access: what was found per system, what the report will hold (rows withheld: someone else's). */
function ReportContents({ c, refreshKey }: { c: CaseView; refreshKey: number }) {
  const { client, ops } = useApi();
  const d = useAsync(() => client.call('datamap.discovery', { id: c.id }), [c.id, c.status, refreshKey]);
  const [html, setHtml] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const r = d.data?.result;
  if (!r) return null;
  const rows = r.collections.map((col) => ({
    where: `${col.system} · ${col.collection}`,
    found: col.rows.length,
    withheld: col.rows.filter((x) => x.shared || x.other).length,
    categories: [...new Set(col.rows.flatMap((x) => Object.values(x.categories)).filter((k) => k.startsWith('user')))],
  })).filter((x) => x.found);
  const total = rows.reduce((k, x) => k + x.found - x.withheld, 0);
  const preview = async () => {
    if (html !== null) { setHtml(null); return; }
    try { setHtml((await client.call('reports.preview', { id: c.id, format: 'html' })).content); setError(null); } catch (e) { setError(e); }
  };
  return (<>
    <p data-testid="report-holds"><strong>The report will hold {plural(total, 'record')}</strong> from {plural(new Set(r.collections.map((x) => x.system)).size, 'system')}{rows.some((x) => x.withheld) ? '; rows that are someone else\u2019s too are withheld unless the review includes them' : ''}.</p>
    <table className="grid">
      <thead><tr><th scope="col">System · collection</th><th scope="col">Found</th><th scope="col">In the report</th><th scope="col">Categories</th></tr></thead>
      <tbody>
        {rows.map((x) => <tr key={x.where}><td>{x.where}</td><td>{x.found}</td><td>{x.found - x.withheld}{x.withheld ? <span className="muted small"> ({x.withheld} withheld)</span> : null}</td><td className="muted small">{x.categories.join(', ') || '—'}</td></tr>)}
      </tbody>
    </table>
    {ops.has('reports.preview') && (
      <div className="form-actions">
        <button type="button" className="btn ghost" aria-expanded={html !== null} onClick={() => void preview()}>{html !== null ? 'Hide report' : 'Preview the report'}</button>
      </div>
    )}
    <ErrorNote error={error} />
    {html !== null && <ReportPreview html={html} label={`Access report of ${c.id} (preview)`} />}
  </>);
}

export function PlanPanel({ c, refreshKey, executed, onChanged }: { c: CaseView; refreshKey: number; executed: StepResult | null; onChanged: () => void }) {
  const { client } = useApi();
  const plan = useAsync(() => client.call('datamap.plan', { id: c.id }), [c.id, c.status, refreshKey]);
  const [confirming, setConfirming] = useState(false);
  /** Bumped when staff save corrections: the writes planned are read again. */
  const [version, setVersion] = useState(0);
  const words = TYPE_WORDS[c.type];
  const erases = ERASES.has(c.type);
  const writes = WRITES.has(c.type);
  const p = plan.data?.plan;
  const cols = (p?.collections ?? []) as PlanCollection[];
  const systems = bySystem(cols);
  const to = c.identitiesMasked.email;
  /** Discovery raised the level needed (sensitive data in a deletion) above what was recorded. */
  const short = !meets(c.verification.level, c.requiredLevel);
  return (
    <Section title={words.plan} id="plan" actions={c.status === 'in_review' && (
      <button type="button" className="btn primary" disabled={short} title={short ? `Needs the ${c.requiredLevel} level of verification first (see Verification)` : undefined}
        onClick={() => setConfirming(true)}>{words.approve}</button>
    )}>
      {c.status === 'in_review' && short && <p className="muted small" data-testid="approve-blocked">Approval waits for the {c.requiredLevel} level of verification (it is {c.verification.level}): record it under Verification.</p>}
      {writes && <WritesTable c={c} refreshKey={refreshKey * 1000 + version} />}
      {c.type === 'correct' && !executed && c.status !== 'closed' && c.status !== 'denied' && <CorrectionForm c={c} onChanged={() => { setVersion((v) => v + 1); plan.reload(); onChanged(); }} />}
      {c.type === 'access' && <ReportContents c={c} refreshKey={refreshKey} />}
      {erases && p && cols.length > 0 && (<>
        <p className="muted small">{executed ? 'Planned (dry run):' : 'Dry run: nothing has changed yet.'}</p>
        <ErasureTable cols={cols} totals={p.totals} />
      </>)}
      {!p && !executed && <p className="muted">{c.status === 'in_review' ? 'Nothing to change in any system.' : 'The plan is drawn up after discovery.'}</p>}
      {executed && (<>
        <h3 className="sub">{erases ? 'Executed' : c.type === 'access' ? 'Sent' : 'Written'}</h3>
        <Dl items={erases ? [
          ['Deleted rows', n(executed.result.deleted)], ['Masked rows', n(executed.result.masked)], ['Errors', n(executed.result.errors)], ['Executed at', formatDate(executed.at)],
        ] : writes ? [
          ['Rows written', n(executed.result.updated)], ['Errors', n(executed.result.errors)], ['Written at', formatDate(executed.at)],
        ] : [['Done at', formatDate(executed.at)]]} />
      </>)}
      <ErrorNote error={plan.error} />
      {confirming && (
        <ConfirmDialog title={`${words.approve.replace(/…$/u, '')}: ${c.id}`} danger={erases}
          confirm={erases && p ? `Delete ${plural(p.totals.deleted, 'row')} and mask ${plural(p.totals.masked, 'row')}` : c.type === 'access' ? 'Send the report' : `Write ${plural(p?.totals.updated ?? 0, 'row')}`}
          busyLabel="Approving…" onClose={() => setConfirming(false)}
          onConfirm={async () => { await client.call('cases.approve', { id: c.id }); onChanged(); }}>
          {erases && (<>
            <p>This cannot be undone. Per system:</p>
            <ul className="confirm-list" data-testid="confirm-summary">
              {systems.map((s) => (
                <li key={s.system}><strong>{s.system}</strong>: delete {plural(s.deleted, 'row')}, mask {plural(s.masked, 'row')}{s.kept ? `, keep ${s.kept}` : ''}
                  <ul>{s.lines.map((l) => <li key={l} className="small">{l}</li>)}</ul>
                </li>
              ))}
            </ul>
            <p className="muted small">Then every system is queried again, and the consumer gets the result{to ? ` at ${to}` : ''}.</p>
          </>)}
          {c.type === 'access' && <p data-testid="confirm-summary">The report is sent {to ? <>to <span className="masked">{to}</span></> : 'for staff delivery (no email address on the case)'}, with what the preview shows. It cannot be recalled.</p>}
          {writes && (
            <p data-testid="confirm-summary">{c.type === 'correct' ? 'The corrected values' : 'The flags'} are written to {plural(cols.filter((x) => x.updated).length, 'collection')} ({plural(p?.totals.updated ?? 0, 'row')}); nothing is deleted. Then every system is read again.</p>
          )}
        </ConfirmDialog>
      )}
    </Section>
  );
}
