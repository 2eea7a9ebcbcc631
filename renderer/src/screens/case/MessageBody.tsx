// What one message said, as the consumer received it (`messages.body`, audited): the subject and
// the HTML in a sandboxed iframe (srcdoc, sandbox with nothing allowed: no scripts, no forms, no
// navigation, its own opaque origin), or the plain text. Loaded when staff open it.
import { useState } from 'react';
import type { MessageBodyView, MessageView } from '../../../../shared/app/contract/responses';
import { useApi } from '../../api/context';
import { useAsync } from '../../hooks';
import { ErrorNote } from '../../components/ui';

/** No script may run in the frame even if the sandbox were lifted: a CSP inside the document too. */
function inert(html: string): string {
  const csp = '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'; img-src data:">';
  return /<head[^>]*>/iu.test(html) ? html.replace(/<head[^>]*>/iu, (h) => `${h}${csp}`) : `${csp}${html}`;
}

export function MessageBody({ caseId, m }: { caseId: string; m: MessageView }) {
  const { client } = useApi();
  const body = useAsync<MessageBodyView>(() => client.call('messages.body', { id: caseId, messageId: m.id }), [caseId, m.id]);
  const [asText, setAsText] = useState(false);
  const b = body.data;
  return (
    <div className="message-body" data-testid="message-body">
      <ErrorNote error={body.error} />
      {!b ? <p className="muted">Loading the message…</p> : !b.kept ? (
        <p className="muted">The words of this message were not kept ({m.channel === 'email' ? 'sent before PrivacyDesk kept message bodies' : 'text messages and calls are recorded by template only: they carry codes'}).</p>
      ) : (<>
        <div className="message-meta">
          <span><span className="muted">Subject:</span> <strong>{b.subject ?? '—'}</strong></span>
          {b.html && b.text && <button type="button" className="linklike" onClick={() => setAsText((t) => !t)}>{asText ? 'Show as sent (HTML)' : 'Show plain text'}</button>}
        </div>
        {b.html && !asText
          ? <iframe className="message-frame" title={`Message ${m.template} as sent`} sandbox="" srcDoc={inert(b.html)} referrerPolicy="no-referrer" />
          : <pre className="message-text">{b.text}</pre>}
        {b.text?.includes('••••••') && <p className="muted small">The code is masked: PrivacyDesk never shows a code it sent.</p>}
      </>)}
    </div>
  );
}
