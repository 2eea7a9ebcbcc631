// An access report with no email address to go to waits for staff (`pending`, the case stays in
// responding): preview and print it (`reports.preview`, audited), deliver it by post or in person,
// then record how (`responses.deliver`); the case closes.
import { useEffect, useState } from 'react';
import type { CaseView } from '../../../../shared/domain/case';
import type { MessageView } from '../../../../shared/app/contract/responses';
import { meets, needsVerification } from '../../../../shared/domain/verification';
import { useApi } from '../../api/context';
import { ErrorNote, Field } from '../../components/ui';
import { ReportPreview } from './ReportPreview';

export type DeliveryMethod = 'post' | 'in_person' | 'other';
export const DELIVERY_METHODS: ReadonlyArray<[DeliveryMethod, string]> = [
  ['post', 'Post (to the address confirmed with the consumer)'],
  ['in_person', 'In person (identity checked)'],
  ['other', 'Other'],
];

/** The access report of this case that waits for staff delivery, if any. */
export function pendingReport(messages: MessageView[] | null | undefined): MessageView | null {
  return messages?.find((m) => m.template === 'access-report' && m.status === 'pending') ?? null;
}

export function ReportDelivery({ c, onChanged }: { c: CaseView; onChanged: () => void }) {
  const { client, ops } = useApi();
  const [method, setMethod] = useState<DeliveryMethod>('post');
  const [note, setNote] = useState('');
  const [html, setHtml] = useState<string | null>(null);
  const [showing, setShowing] = useState(false);
  const [printing, setPrinting] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const verified = !needsVerification(c.type) || meets(c.verification.level, c.requiredLevel);
  const canPreview = ops.has('reports.preview');

  // Print once the report is on the page (the preview's own effect has filled it in by now).
  useEffect(() => {
    if (!printing || !html || !showing) return;
    setPrinting(false);
    window.print();
  }, [printing, html, showing]);

  const open = async (thenPrint: boolean) => {
    if (showing && !thenPrint) { setShowing(false); return; }
    setBusy(true);
    try {
      if (html === null) setHtml((await client.call('reports.preview', { id: c.id, format: 'html' })).content);
      setShowing(true); setPrinting(thenPrint); setError(null);
    } catch (e) { setError(e); } finally { setBusy(false); }
  };
  const deliver = async () => {
    setBusy(true);
    try {
      await client.call('responses.deliver', { id: c.id, method, note: note.trim() });
      setError(null); setNote(''); setShowing(false); onChanged();
    } catch (e) { setError(e); } finally { setBusy(false); }
  };

  return (
    <div className="delivery" id="report-delivery" data-testid="report-delivery">
      <h3 className="sub">Access report waiting for staff delivery</h3>
      <p>
        There is no email address on this case, so the report cannot be emailed. Print it, deliver it another way
        (post it to the address confirmed with the consumer, or hand it over after checking their identity), then
        record the delivery here: the case closes.
      </p>
      {!verified && (
        <p className="note warn" role="status">
          Identity verified to &ldquo;{c.verification.level}&rdquo;, &ldquo;{c.requiredLevel}&rdquo; needed: the report is given only to a verified requester. Record the verification first.
        </p>
      )}
      {canPreview && (
        <div className="form-actions">
          <button type="button" className="btn ghost" aria-expanded={showing} aria-controls="report-preview-box" disabled={busy} onClick={() => void open(false)}>
            {showing ? 'Hide report' : 'Preview report'}
          </button>
          <button type="button" className="btn" disabled={busy} onClick={() => void open(true)}>Print report…</button>
        </div>
      )}
      {showing && html !== null && (
        <div id="report-preview-box"><ReportPreview html={html} label={`Access report of ${c.id}`} /></div>
      )}
      <form className="stack-form" aria-label="Record delivery" onSubmit={(e) => { e.preventDefault(); void deliver(); }}>
        <Field label="Delivered by" htmlFor="d-method">
          <select id="d-method" value={method} onChange={(e) => setMethod(e.target.value as DeliveryMethod)}>
            {DELIVERY_METHODS.map(([k, l]) => <option key={k} value={k}>{l}</option>)}
          </select>
        </Field>
        <Field label="Note (how and when, not the address)" htmlFor="d-note" hint="e.g. sent by first-class mail on 3 March; goes into the audit log">
          <textarea id="d-note" value={note} onChange={(e) => setNote(e.target.value)} required maxLength={2000} rows={2} />
        </Field>
        <div><button type="submit" className="btn primary" disabled={busy || !verified || !note.trim()}>Record delivery</button></div>
      </form>
      <ErrorNote error={error} />
    </div>
  );
}
