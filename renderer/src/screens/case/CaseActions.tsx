// The next step for this case, as one clear primary button, plus assign and deny.
import { useEffect, useState, type MouseEvent } from 'react';
import type { CaseView } from '../../../../shared/domain/case';
import { DENIAL_REASONS, type DenialReason } from '../../../../shared/domain/case';
import { useApi } from '../../api/context';
import { ErrorNote } from '../../components/ui';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { DENIAL_REASON_LABEL } from './words';

/** What the consumer will read (responses.denialPreview), in the confirmation before Deny. */
function DenialPreview({ id, reason, note }: { id: string; reason: DenialReason; note: string }) {
  const { client, ops } = useApi();
  const [p, setP] = useState<{ to: string | null; subject: string; text: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (!ops.has('responses.denialPreview')) return;
    client.call('responses.denialPreview', { id, reason, note }).then(setP, setError);
  }, [id, reason, note]);
  if (!ops.has('responses.denialPreview')) return null;
  return (
    <div data-testid="denial-preview">
      <ErrorNote error={error} />
      {p && (<>
        <p>{p.to ? <>This email goes to <span className="masked">{p.to}</span> at once:</> : <>There is no email address on this case: the consumer is told by a status call where there is a phone number, otherwise not at all. The email would read:</>}</p>
        <div className="email-preview"><p className="muted small">Subject: {p.subject}</p><pre className="message-text">{p.text}</pre></div>
      </>)}
    </div>
  );
}

function goToDelivery(e: MouseEvent): void {
  e.preventDefault();
  const box = document.getElementById('report-delivery');
  box?.scrollIntoView({ block: 'start' });
  (document.getElementById('d-note') as HTMLElement | null)?.focus({ preventScroll: true });
}

export function CaseActions({ c, onChanged }: { c: CaseView; onChanged: () => void }) {
  const { client, ops } = useApi();
  const [error, setError] = useState<unknown>(null);
  const [denying, setDenying] = useState(false);
  const [reason, setReason] = useState<DenialReason>('unverifiable');
  const [note, setNote] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [assignee, setAssignee] = useState(c.assignee ?? '');
  const open = c.status !== 'closed' && c.status !== 'denied';
  const run = async (fn: () => Promise<unknown>) => {
    try { await fn(); setError(null); setDenying(false); onChanged(); } catch (e) { setError(e); }
  };
  if (!open) return null;
  // What the case waits for comes from the back end (CaseView.failure / waitingFor), never from an error's words.
  const failed = (c.status === 'received' || c.status === 'responding') ? c.failure : null;
  return (
    <div className="actions-bar" role="group" aria-label="Case actions">
      {c.waitingFor === 'staff_delivery' && (
        <div className="note info full-row" role="status" data-testid="awaiting-delivery">
          <strong>The access report waits for staff delivery.</strong> There is no email address on this case, so
          retrying would not send it: print the report, deliver it by post or in person, then{' '}
          {ops.has('responses.deliver')
            ? <a href="#report-delivery" onClick={goToDelivery}>record the delivery</a>
            : <>record the delivery with <code>privacy-desk report deliver {c.id}</code></>}.
        </div>
      )}
      {failed && (
        <div className="note warn full-row" role="alert">
          Step <code>{failed.step}</code> failed: {failed.message}
          {' '}<button type="button" className="btn small-btn" onClick={() => void run(() => client.call('cases.retry', { id: c.id }))}>Retry</button>
        </div>
      )}
      {c.status === 'verified' && (
        <button type="button" className="btn primary" onClick={() => void run(() => client.call('cases.discover', { id: c.id }))}>Run discovery</button>
      )}
      {(c.status === 'received' || c.status === 'acknowledged' || c.status === 'verifying') && (
        <a className="btn" href="#verification" onClick={(e) => { e.preventDefault(); document.getElementById('v-note')?.focus(); }}>Verify identity</a>
      )}
      <form className="assign" onSubmit={(e) => { e.preventDefault(); void run(() => client.call('cases.assign', { id: c.id, assignee: assignee.trim() || null })); }}>
        <label htmlFor="assignee">Assignee</label>
        <input id="assignee" value={assignee} onChange={(e) => setAssignee(e.target.value)} maxLength={100} placeholder="unassigned" />
        <button type="submit" className="btn ghost">Assign</button>
      </form>
      <button type="button" className="btn danger-ghost" onClick={() => setDenying((d) => !d)} aria-expanded={denying}>Deny…</button>
      {denying && (
        <form className="inline-form full" aria-label="Deny the request" onSubmit={(e) => { e.preventDefault(); if (note.trim()) setConfirming(true); }}>
          <div className="field">
            <label htmlFor="deny-reason">Reason</label>
            <select id="deny-reason" value={reason} onChange={(e) => setReason(e.target.value as DenialReason)}>
              {DENIAL_REASONS.map((r) => <option key={r} value={r}>{DENIAL_REASON_LABEL[r]}</option>)}
            </select>
          </div>
          <div className="field grow">
            <label htmlFor="deny-note">Note to the consumer (required: what happened and what they can do)</label>
            <input id="deny-note" value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} required aria-describedby="deny-note-hint" />
            <small id="deny-note-hint" className="hint">Sent in the denial email with the reason and how to appeal.</small>
          </div>
          <button type="submit" className="btn danger" disabled={!note.trim()}>Deny request…</button>
        </form>
      )}
      {confirming && (
        <ConfirmDialog title={`Deny ${c.id}?`} danger confirm="Deny and send the denial" busyLabel="Denying…"
          onClose={() => setConfirming(false)}
          onConfirm={async () => { await client.call('cases.deny', { id: c.id, reason, note: note.trim() }); setDenying(false); setNote(''); onChanged(); }}>
          <p>The request closes as denied ({DENIAL_REASON_LABEL[reason].toLowerCase()}). This cannot be undone; the consumer may appeal.</p>
          <DenialPreview id={c.id} reason={reason} note={note.trim()} />
        </ConfirmDialog>
      )}
      <ErrorNote error={error} />
    </div>
  );
}
