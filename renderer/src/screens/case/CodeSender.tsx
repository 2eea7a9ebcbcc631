// One-time codes from the case screen: the send-code buttons (email; a text message or a call that
// reads the code out, for the phone number on file) and the box for the code the consumer reads
// back to staff. The code itself never reaches the console: only where it went and until when.
import { useEffect, useState } from 'react';
import type { CaseView } from '../../../../shared/domain/case';
import { useApi } from '../../api/context';
import { ErrorNote, Field } from '../../components/ui';
import { formatDate } from '../../format';

type Channel = 'email' | 'sms' | 'voice';
const HOW: Record<Channel, string> = { email: 'by email', sms: 'by text message', voice: 'in a call (read out twice)' };

export function CodeSender({ c, onChanged }: { c: CaseView; onChanged: () => void }) {
  const { client } = useApi();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [sent, setSent] = useState<{ sentTo: string; expiresAt: string; channel: Channel } | null>(null);
  const [status, setStatus] = useState<{ locked: boolean; attemptsLeft: number; active: { expiresAt: string; channel: Channel } | null } | null>(null);
  const [code, setCode] = useState('');
  const [result, setResult] = useState<string | null>(null);
  const hasEmail = !!c.identitiesMasked.email;
  const hasPhone = !!c.identitiesMasked.phone;
  const refresh = async () => { try { setStatus(await client.call('codes.status', { id: c.id })); } catch { /* shown on the next action */ } };
  useEffect(() => { void refresh(); }, [c.id]);
  const send = async (channel: Channel) => {
    setBusy(true);
    try {
      const r = await client.call('codes.send', { id: c.id, channel });
      setSent(r); setResult(null); setError(null); await refresh(); onChanged();
    } catch (e) { setError(e); } finally { setBusy(false); }
  };
  const check = async () => {
    setBusy(true);
    try {
      const r = await client.call('codes.check', { id: c.id, code });
      setCode(''); setError(null);
      setResult(r.ok ? 'Code accepted: the case is verified.' : r.reason === 'wrong' ? `Wrong code: ${r.attemptsLeft} attempt(s) left.` : r.reason === 'locked' ? 'Locked after too many wrong codes: staff must review the case.' : r.reason === 'expired' ? 'The code has expired: send a new one.' : 'No code is waiting: send one first.');
      await refresh();
      if (r.ok || r.reason === 'locked') onChanged();
    } catch (e) { setError(e); } finally { setBusy(false); }
  };
  if (!hasEmail && !hasPhone) return null;
  return (
    <div className="stack-form" aria-label="One-time code">
      <div className="row">
        {hasEmail && <button type="button" className="btn ghost" disabled={busy || status?.locked} onClick={() => void send('email')}>Send email code</button>}
        {hasPhone && <button type="button" className="btn ghost" disabled={busy || status?.locked} onClick={() => void send('sms')}>Send text code</button>}
        {hasPhone && <button type="button" className="btn ghost" disabled={busy || status?.locked} onClick={() => void send('voice')}>Call with code</button>}
      </div>
      {sent && <p className="note" data-testid="code-sent">Code sent to {sent.sentTo} {HOW[sent.channel]}, valid until {formatDate(sent.expiresAt)}.</p>}
      {status?.locked && <p className="note">Code verification is locked after too many wrong codes (see the attention list).</p>}
      {status?.active && (
        <form className="row" onSubmit={(e) => { e.preventDefault(); void check(); }} aria-label="Check a code">
          <Field label="Code the consumer read back" htmlFor="code-entry">
            <input id="code-entry" inputMode="numeric" autoComplete="off" value={code} onChange={(e) => setCode(e.target.value)} maxLength={20} />
          </Field>
          <div><button type="submit" className="btn" disabled={busy || !code.trim()}>Check code</button></div>
        </form>
      )}
      {result && <p className="note" data-testid="code-result">{result}</p>}
      <ErrorNote error={error} />
    </div>
  );
}
