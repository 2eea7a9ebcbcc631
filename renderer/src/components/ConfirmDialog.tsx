// A confirmation before an irreversible action: a modal <dialog> that says what will happen (the
// caller's summary), with the action's own words on the confirm button. A refusal from the back
// end is shown inside the dialog, where the click was, and the dialog stays open.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { ErrorNote } from './ui';

export function ConfirmDialog({ title, children, confirm, danger, onConfirm, onClose, busyLabel }: {
  title: string;
  children: ReactNode;
  /** The button's words: what happens ("Delete 8 rows and mask 4"). */
  confirm: string;
  danger?: boolean;
  busyLabel?: string;
  /** Resolves when done (the dialog closes); a rejection is shown in the dialog. */
  onConfirm: () => Promise<unknown>;
  onClose: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  const go = async () => {
    setBusy(true); setError(null);
    try { await onConfirm(); onClose(); } catch (e) { setError(e); } finally { setBusy(false); }
  };
  return (
    <dialog ref={ref} className="confirm" aria-labelledby="confirm-title" onCancel={(e) => { e.preventDefault(); if (!busy) onClose(); }}>
      <h2 id="confirm-title">{title}</h2>
      <div className="confirm-body">{children}</div>
      <ErrorNote error={error} />
      <div className="form-actions">
        <button type="button" className={danger ? 'btn danger' : 'btn primary'} disabled={busy} onClick={() => void go()}>{busy ? (busyLabel ?? 'Working…') : confirm}</button>
        <button type="button" className="btn ghost" disabled={busy} onClick={onClose} autoFocus>Cancel</button>
      </div>
    </dialog>
  );
}
