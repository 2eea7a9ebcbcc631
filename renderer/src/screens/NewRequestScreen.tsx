// Staff intake: a request taken by phone, by mail, in person, or from an authorized agent (with
// the written permission uploaded through the API). Validated by the same schema as every other
// channel (cases.create); the server's field errors are shown next to their fields.
import { useState } from 'react';
import { CASE_TYPES, JURISDICTIONS, type CaseType, type Jurisdiction } from '../../../shared/domain/case';
import { useApi } from '../api/context';
import { ApiError } from '../api/transport';
import { ErrorNote, Field, Section } from '../components/ui';
import { TYPE_LABEL } from '../format';
import { navigate } from '../router';

const INTAKE = [['phone', 'Phone call'], ['mail', 'Mail / letter'], ['staff', 'In person'], ['email', 'Email']] as const;
type Intake = (typeof INTAKE)[number][0];
const MEDIA = new Set(['application/pdf', 'image/png', 'image/jpeg', 'text/plain']);
/** Which input holds which field of cases.create: editing it hides that field's error from the last attempt. */
const ID_PATHS: Record<string, string[]> = {
  'n-email': ['identities.email', 'identities'], 'n-phone': ['identities.phone', 'identities'], 'n-name': ['identities.name'],
  'n-a1': ['identities.address.line1'], 'n-city': ['identities.address.city'], 'n-zip': ['identities.address.postalCode'],
  'n-agent-name': ['agent.name'], 'n-agent-doc': ['agent.permissionRef'],
};

function toBase64(buf: ArrayBuffer): string {
  const bytes = new Uint8Array(buf);
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function todayLocal(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export function NewRequestScreen() {
  const { client } = useApi();
  const [type, setType] = useState<CaseType>('delete');
  const [jurisdiction, setJurisdiction] = useState<Jurisdiction>('CA');
  const [channel, setChannel] = useState<Intake>('phone');
  const [email, setEmail] = useState('');
  const [phone, setPhone] = useState('');
  const [name, setName] = useState('');
  const [addr, setAddr] = useState({ line1: '', line2: '', city: '', state: '', postalCode: '', country: 'US' });
  const [specific, setSpecific] = useState(false);
  const [connected, setConnected] = useState(false);
  const [assignee, setAssignee] = useState('');
  /** The day a mailed request arrived (the legal clock starts then, not when it is typed in). */
  const [receivedOn, setReceivedOn] = useState('');
  const [viaAgent, setViaAgent] = useState(false);
  const [agent, setAgent] = useState({ name: '', email: '', organization: '' });
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [edited, setEdited] = useState<ReadonlySet<string>>(new Set());

  const allIssues = error instanceof ApiError ? error.issues : [];
  const isEdited = (path: string) => [...edited].some((p) => path === p || path.startsWith(`${p}.`));
  // Issues of fields edited since the last attempt are not shown any more (the value has changed).
  const issues = allIssues.filter((i) => !isEdited(i.path));
  const fieldError = (path: string) => issues.find((i) => i.path === path || i.path.startsWith(`${path}.`))?.message;
  const hasAddress = Object.entries(addr).some(([k, v]) => k !== 'country' && v.trim());

  const submit = async () => {
    setBusy(true); setError(null); setEdited(new Set());
    try {
      let permissionRef = '';
      if (viaAgent) {
        if (!file) throw new ApiError('input', 'agent.permissionRef: upload the agent\'s written permission', [{ path: 'agent.permissionRef', message: 'upload the agent\'s written permission' }]);
        if (!MEDIA.has(file.type)) throw new ApiError('input', 'agent.permissionRef: PDF, PNG, JPEG or plain text only', [{ path: 'agent.permissionRef', message: 'PDF, PNG, JPEG or plain text only' }]);
        const doc = await client.call('documents.upload', { kind: 'agent-permission', mediaType: file.type as 'application/pdf', contentBase64: toBase64(await file.arrayBuffer()) });
        permissionRef = `doc:${doc.id}`;
      }
      const created = await client.call('cases.create', {
        type, jurisdiction, channel,
        strategy: connected ? 'connected_pii' : 'exact',
        specificPieces: specific,
        assignee: assignee.trim() || undefined,
        receivedAt: channel === 'mail' && receivedOn ? new Date(`${receivedOn}T12:00:00`).toISOString() : undefined,
        identities: {
          email: email.trim() || undefined,
          phone: phone.trim() || undefined,
          name: name.trim() || undefined,
          address: hasAddress ? {
            line1: addr.line1, line2: addr.line2.trim() || undefined, city: addr.city, state: addr.state.trim() || undefined,
            postalCode: addr.postalCode, country: addr.country || 'US',
          } : undefined,
        },
        agent: viaAgent ? {
          name: agent.name, email: agent.email.trim() || undefined, organization: agent.organization.trim() || undefined, permissionRef,
        } : undefined,
      });
      navigate({ screen: 'case', id: created.id });
    } catch (e) { setError(e); } finally { setBusy(false); }
  };

  const described = (path: string, inputId: string) => (fieldError(path) ?? (path === 'identities.email' ? issues.find((i) => i.path === 'identities')?.message : undefined) ? { 'aria-invalid': true, 'aria-describedby': `${inputId}-err` } : {});
  return (
    <div className="new-request">
      <header className="page-head"><h1>New request</h1><p className="muted">Taken by phone, mail, in person or from an authorized agent.</p></header>
      <form onSubmit={(e) => { e.preventDefault(); void submit(); }} noValidate aria-label="New request"
        onChange={(e) => { const paths = ID_PATHS[(e.target as HTMLElement).id]; if (paths && allIssues.length) setEdited((s) => new Set([...s, ...paths])); }}>
        <Section title="Request">
          <div className="row">
            <Field label="Request type" htmlFor="n-type">
              <select id="n-type" value={type} onChange={(e) => setType(e.target.value as CaseType)}>
                {CASE_TYPES.map((t) => <option key={t} value={t}>{TYPE_LABEL[t]}</option>)}
              </select>
            </Field>
            <Field label="Jurisdiction" htmlFor="n-jur">
              <select id="n-jur" value={jurisdiction} onChange={(e) => setJurisdiction(e.target.value as Jurisdiction)}>
                {JURISDICTIONS.map((j) => <option key={j} value={j}>{j}</option>)}
              </select>
            </Field>
            <Field label="Received by" htmlFor="n-channel">
              <select id="n-channel" value={channel} onChange={(e) => setChannel(e.target.value as Intake)}>
                {INTAKE.map(([k, l]) => <option key={k} value={k}>{l}</option>)}
              </select>
            </Field>
            {channel === 'mail' && (
              <Field label="Received on" htmlFor="n-received" hint="The day the letter arrived: the deadline counts from it" error={fieldError('receivedAt')}>
                <input id="n-received" type="date" value={receivedOn} max={todayLocal()} onChange={(e) => setReceivedOn(e.target.value)} />
              </Field>
            )}
            <Field label="Assignee (optional)" htmlFor="n-assignee">
              <input id="n-assignee" value={assignee} onChange={(e) => setAssignee(e.target.value)} maxLength={100} />
            </Field>
          </div>
          <div className="row">
            <div className="field check"><input id="n-specific" type="checkbox" checked={specific} onChange={(e) => setSpecific(e.target.checked)} />
              <label htmlFor="n-specific">Specific pieces or sensitive data (needs 3 data points + signed declaration)</label></div>
            <div className="field check"><input id="n-connected" type="checkbox" checked={connected} onChange={(e) => setConnected(e.target.checked)} />
              <label htmlFor="n-connected">Follow linked records (connected PII)</label></div>
          </div>
        </Section>
        <Section title="Who the request is about">
          <p className="muted small">At least an email, a phone number or a custom key. Stored encrypted; only masked values are shown afterwards.</p>
          <div className="row">
            <Field label="Email" htmlFor="n-email" error={fieldError('identities.email') ?? issues.find((i) => i.path === 'identities')?.message}>
              <input id="n-email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} autoComplete="off" {...described('identities.email', 'n-email')} />
            </Field>
            <Field label="Phone" htmlFor="n-phone" hint="e.g. +1 415 555 0123" error={fieldError('identities.phone')}>
              <input id="n-phone" type="tel" value={phone} onChange={(e) => setPhone(e.target.value)} autoComplete="off" {...described('identities.phone', 'n-phone')} />
            </Field>
            <Field label="Name" htmlFor="n-name" error={fieldError('identities.name')}>
              <input id="n-name" value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" />
            </Field>
          </div>
          <fieldset className="address">
            <legend>Postal address (optional; matched only when every part matches)</legend>
            <div className="row">
              <Field label="Line 1" htmlFor="n-a1" error={fieldError('identities.address.line1')}><input id="n-a1" value={addr.line1} onChange={(e) => setAddr({ ...addr, line1: e.target.value })} /></Field>
              <Field label="Line 2" htmlFor="n-a2"><input id="n-a2" value={addr.line2} onChange={(e) => setAddr({ ...addr, line2: e.target.value })} /></Field>
              <Field label="City" htmlFor="n-city" error={fieldError('identities.address.city')}><input id="n-city" value={addr.city} onChange={(e) => setAddr({ ...addr, city: e.target.value })} /></Field>
            </div>
            <div className="row">
              <Field label="State" htmlFor="n-state"><input id="n-state" value={addr.state} onChange={(e) => setAddr({ ...addr, state: e.target.value })} /></Field>
              <Field label="Postal code" htmlFor="n-zip" error={fieldError('identities.address.postalCode')}><input id="n-zip" value={addr.postalCode} onChange={(e) => setAddr({ ...addr, postalCode: e.target.value })} /></Field>
              <Field label="Country" htmlFor="n-country"><input id="n-country" value={addr.country} onChange={(e) => setAddr({ ...addr, country: e.target.value })} /></Field>
            </div>
          </fieldset>
        </Section>
        <Section title="Authorized agent">
          <div className="field check"><input id="n-agent" type="checkbox" checked={viaAgent} onChange={(e) => setViaAgent(e.target.checked)} />
            <label htmlFor="n-agent">An authorized agent makes this request for the consumer</label></div>
          {viaAgent && (
            <div className="row">
              <Field label="Agent name" htmlFor="n-agent-name" error={fieldError('agent.name')}><input id="n-agent-name" value={agent.name} onChange={(e) => setAgent({ ...agent, name: e.target.value })} /></Field>
              <Field label="Agent email" htmlFor="n-agent-email"><input id="n-agent-email" type="email" value={agent.email} onChange={(e) => setAgent({ ...agent, email: e.target.value })} /></Field>
              <Field label="Organization" htmlFor="n-agent-org"><input id="n-agent-org" value={agent.organization} onChange={(e) => setAgent({ ...agent, organization: e.target.value })} /></Field>
              <Field label="Written permission (PDF, PNG, JPEG, text; max 10 MiB)" htmlFor="n-agent-doc" error={fieldError('agent.permissionRef')}>
                <input id="n-agent-doc" type="file" accept="application/pdf,image/png,image/jpeg,text/plain" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
              </Field>
            </div>
          )}
        </Section>
        {(allIssues.length === 0 || issues.length > 0) && <ErrorNote error={error} />}
        <div className="form-actions">
          <button type="submit" className="btn primary" disabled={busy}>{busy ? 'Creating…' : 'Create request'}</button>
          <a className="btn ghost" href="#/queue">Cancel</a>
        </div>
      </form>
    </div>
  );
}
