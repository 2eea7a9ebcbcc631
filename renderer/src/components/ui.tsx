// Small shared pieces: status and deadline badges, progress bar, error notes, sections.
import type { ReactNode } from 'react';
import type { CaseStatus } from '../../../shared/domain/case';
import { ApiError } from '../api/transport';
import { STATUS_LABEL, daysLeftText, urgencyOf } from '../format';

export function StatusBadge({ status }: { status: CaseStatus }) {
  return <span className={`badge status-${status}`}>{STATUS_LABEL[status]}</span>;
}

export function DaysLeft({ daysLeft, status, paused }: { daysLeft: number; status: CaseStatus; paused?: boolean }) {
  const u = urgencyOf(daysLeft, status);
  return (
    <span className={`days days-${u}`} title={u === 'overdue' ? 'Past the legal deadline' : undefined}>
      {paused && u !== 'done' ? 'paused · ' : ''}{daysLeftText(daysLeft, status)}
    </span>
  );
}

/** value in 0..1, or null for work whose size is unknown (indeterminate). */
export function ProgressBar({ value, label }: { value: number | null; label: string }) {
  return (
    <div className="progress" role="progressbar" aria-label={label}
      aria-valuemin={0} aria-valuemax={100} aria-valuenow={value === null ? undefined : Math.round(value * 100)}>
      <div className={value === null ? 'progress-bar indeterminate' : 'progress-bar'} style={value === null ? undefined : { width: `${Math.round(value * 100)}%` }} />
      <span className="progress-label">{label}</span>
    </div>
  );
}

const ROLE_WORDS: Record<string, string> = { viewer: 'a viewer', analyst: 'an analyst', approver: 'an approver', admin: 'an admin' };

/** A role refusal of the API ("cases.approve needs the approver role (ana is analyst)") in words. */
export function refusalWords(message: string): string | null {
  const m = /^(\S+) needs the (\w+) role \((\S+) is (\w+)\)$/u.exec(message);
  if (!m) return null;
  const [, op, need, user, role] = m;
  return `Only ${ROLE_WORDS[need!] ?? need} may do this (${op}); you are signed in as ${user}, ${ROLE_WORDS[role!] ?? role}. Ask ${ROLE_WORDS[need!] ?? need} to do it.`;
}

export function ErrorNote({ error }: { error: unknown }) {
  if (!error) return null;
  const e = error as Error;
  const issues = e instanceof ApiError ? e.issues : [];
  const forbidden = e instanceof ApiError && e.type === 'forbidden';
  const prefix = e instanceof ApiError && e.type === 'state' ? 'Not possible now: ' : forbidden ? 'Not allowed: ' : '';
  const text = (forbidden && refusalWords(e.message)) || e.message;
  return (
    <div className="error-note" role="alert">
      <strong>{prefix}</strong>{text}
      {issues.length > 1 && <ul>{issues.map((i) => <li key={`${i.path}:${i.message}`}><code>{i.path}</code>: {i.message}</li>)}</ul>}
    </div>
  );
}

export function Section({ title, children, actions, id }: { title: string; children: ReactNode; actions?: ReactNode; id?: string }) {
  const hid = `${id ?? title.replace(/\W+/gu, '-').toLowerCase()}-h`;
  return (
    <section className="card" aria-labelledby={hid} id={id}>
      <header className="card-head"><h2 id={hid}>{title}</h2>{actions && <div className="card-actions">{actions}</div>}</header>
      {children}
    </section>
  );
}

export function Field({ label, children, hint, error, htmlFor }: { label: string; children: ReactNode; hint?: string; error?: string; htmlFor: string }) {
  return (
    <div className={error ? 'field has-error' : 'field'}>
      <label htmlFor={htmlFor}>{label}</label>
      {children}
      {hint && !error && <small className="hint">{hint}</small>}
      {error && <small className="field-error" id={`${htmlFor}-err`}>{error}</small>}
    </div>
  );
}

export function Dl({ items }: { items: Array<[string, ReactNode]> }) {
  return <dl className="dl">{items.map(([k, v]) => <div key={k}><dt>{k}</dt><dd>{v}</dd></div>)}</dl>;
}
