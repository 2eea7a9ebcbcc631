// PII discovery from the console: run it on a registered system or on a database staff enter
// (datamap.piiDiscovery.start), follow its progress (the screen polls datamap.piiDiscovery.status,
// as the case screen does while the back end works), review the draft per field - accept, change
// or reject the proposed categories - and save it as the system's data map
// (datamap.piiDiscovery.save: validated against the live schema on the server).
// The draft holds names, categories, shares and counts: sampled values never reach the page.
import { useEffect, useState } from 'react';
import type { PiiDraftField, PiiFieldDecision, PiiRunView, SystemView } from '../../../../shared/app/contract/datamap';
import { useApi } from '../../api/context';
import { useInterval } from '../../hooks';
import { ErrorNote, ProgressBar, Section } from '../../components/ui';
import { formatDate } from '../../format';

type Decision = 'accept' | 'reject' | 'change';
interface Choice { decision: Decision; categories: string; identity: string }
const NEW_DB = '__new__';

const keyOf = (collection: string, field: string) => `${collection}.${field}`;
const sameCats = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().join() === [...b].sort().join();

/** A proposal that would change the field as mapped now (or a field not in the map yet). */
function differs(f: PiiDraftField): boolean {
  if (!f.proposed) return false;
  if (!f.current) return true;
  return !sameCats(f.current.categories, f.proposed.categories) || (f.proposed.identity !== null && f.proposed.identity !== f.current.identity);
}
const isPersonal = (cats: readonly string[]) => cats.some((c) => c === 'user' || c.startsWith('user.'));

/** Default decision: accept what is new; keep a field already mapped differently as it is (staff change it on purpose). */
function defaultChoice(f: PiiDraftField): Choice {
  const start = f.proposed ?? f.current;
  return {
    decision: f.proposed && f.current && differs(f) ? 'reject' : 'accept',
    categories: (start?.categories ?? []).join(', '),
    identity: f.proposed?.identity ?? f.current?.identity ?? '',
  };
}

/** A category that may break after its dots (never inside a word) in a narrow column. */
function Cat({ c }: { c: string }) {
  const parts = c.split('.');
  return <span className="badge cat">{parts.map((p, i) => <span key={i}>{i ? <>.<wbr /></> : null}{p}</span>)}</span>;
}

function Cats({ cats, identity }: { cats: readonly string[]; identity: string | null }) {
  return (
    <>
      {cats.map((x) => <Cat key={x} c={x} />)}
      {identity && <span className="badge ident">identity: {identity}</span>}
    </>
  );
}

function DraftRow({ collection, f, choice, onChoice, mapped, collectionMapped }: { collection: string; f: PiiDraftField; choice: Choice; onChoice: (c: Choice) => void; mapped: boolean; collectionMapped: boolean }) {
  const k = keyOf(collection, f.name);
  const id = `pii-${k.replace(/[^A-Za-z0-9_-]/gu, '_')}`;
  const rejectLabel = f.current ? 'Keep as mapped' : 'Reject';
  const identities = ['email', 'phone', ...(f.current?.identity && !['email', 'phone'].includes(f.current.identity) ? [f.current.identity] : [])];
  return (
    <tr className={differs(f) && collectionMapped ? 'pii-row differs' : 'pii-row'}>
      <th scope="row" className="pii-field">
        <span className="mono">{f.name}</span>
        <span className="muted small">{f.dataType || 'untyped'}{f.primaryKey ? ' · primary key' : ''}</span>
        {f.references.length > 0 && <span className="muted small mono">← {f.references.map((r) => `${r.collection}.${r.field}`).join(', ')}</span>}
      </th>
      <td>
        {f.proposed ? <Cats cats={f.proposed.categories} identity={f.proposed.identity} /> : <span className="muted">no proposal</span>}
        {differs(f) && collectionMapped && <span className="badge flag">{f.current ? 'differs from the map' : 'not in the map yet'}</span>}
      </td>
      <td className="pii-why">{f.why}</td>
      {mapped && <td>{f.current ? <Cats cats={f.current.categories} identity={f.current.identity} /> : <span className="muted">—</span>}</td>}
      <td className="pii-decision">
        <select id={`${id}-d`} aria-label={`Decision for ${k}`} value={choice.decision} onChange={(e) => onChoice({ ...choice, decision: e.target.value as Decision })}>
          <option value="accept">{f.proposed ? 'Accept' : f.current ? 'Keep as mapped' : 'Keep: not personal'}</option>
          {f.proposed && <option value="reject">{rejectLabel}</option>}
          <option value="change">Change…</option>
        </select>
        {choice.decision === 'change' && (
          <div className="pii-change">
            <label htmlFor={`${id}-c`}>Categories <span className="sr-only">for {k}</span></label>
            <input id={`${id}-c`} value={choice.categories} onChange={(e) => onChoice({ ...choice, categories: e.target.value })}
              placeholder="user.contact.email" spellCheck={false} aria-describedby={`${id}-ch`} />
            <small id={`${id}-ch`} className="hint">fideslang, comma-separated</small>
            <label htmlFor={`${id}-i`}>Identity <span className="sr-only">for {k}</span></label>
            <select id={`${id}-i`} value={choice.identity} onChange={(e) => onChoice({ ...choice, identity: e.target.value })}>
              <option value="">none</option>
              {identities.map((x) => <option key={x} value={x}>{x}</option>)}
            </select>
          </div>
        )}
      </td>
    </tr>
  );
}

function DraftReview({ run, onSaved }: { run: PiiRunView; onSaved: (r: PiiRunView, note: string) => void }) {
  const { client } = useApi();
  const draft = run.draft!;
  const [choices, setChoices] = useState<Map<string, Choice>>(() => new Map(draft.collections.flatMap((c) => c.fields.map((f) => [keyOf(c.name, f.name), defaultChoice(f)] as const))));
  const [showAll, setShowAll] = useState(false);
  const [name, setName] = useState('');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const anyMapped = draft.collections.some((c) => c.mapped);
  // Listed: proposals, fields mapped as personal now, fields staff changed; every column on request.
  const visible = (c: string, f: PiiDraftField) => showAll || !!f.proposed || (f.current ? isPersonal(f.current.categories) : false) || choices.get(keyOf(c, f.name))?.decision === 'change';
  const shown = draft.collections.map((c) => ({ ...c, fields: c.fields.filter((f) => visible(c.name, f)) })).filter((c) => c.fields.length > 0);
  const counts = { accept: 0, reject: 0, change: 0 };
  for (const c of shown) for (const f of c.fields) counts[choices.get(keyOf(c.name, f.name))!.decision] += 1;

  const save = async () => {
    setSaving(true); setError(null);
    try {
      const fields: PiiFieldDecision[] = [];
      for (const c of draft.collections) for (const f of c.fields) {
        const ch = choices.get(keyOf(c.name, f.name))!;
        if (ch.decision === 'change') {
          fields.push({ collection: c.name, field: f.name, decision: 'change', categories: ch.categories.split(/[\s,]+/u).filter(Boolean), identity: ch.identity || null });
        } else fields.push({ collection: c.name, field: f.name, decision: ch.decision });
      }
      const r = await client.call('datamap.piiDiscovery.save', { runId: run.runId, ...(run.system ? {} : { system: name.trim() }), fields });
      const note = `Saved as the data map of ${r.system.name}: ${r.system.map.collections.length} collections; ${r.accepted} accepted, ${r.changed} changed, ${r.rejected} rejected.`;
      const st = await client.call('datamap.piiDiscovery.status', { runId: run.runId });
      onSaved(st.run ?? { ...run, savedAs: r.system.name }, note);
    } catch (e) { setError(e); } finally { setSaving(false); }
  };

  return (
    <div className="pii-review">
      <div className="pii-summary">
        <p>
          <strong>{draft.totals.proposed}</strong> of {draft.totals.columns} columns in {draft.totals.collections} tables proposed as personal
          {anyMapped ? <>; <strong>{draft.totals.differing}</strong> {draft.totals.differing === 1 ? 'differs' : 'differ'} from the current map</> : null}.
          <span className="muted"> Each proposal says why: the column-name rule, or the share of sampled values that passed a check (values are never shown or kept).</span>
        </p>
        <div className="field check">
          <input id="pii-show-all" type="checkbox" checked={showAll} onChange={(e) => setShowAll(e.target.checked)} />
          <label htmlFor="pii-show-all">Show every column (also those with no proposal)</label>
        </div>
      </div>
      {shown.map((c) => (
        <div key={c.name} className="pii-table-wrap">
          <table className="grid pii-table" aria-label={`Draft for ${c.name}`}>
            <caption><span className="mono">{c.name}</span> <span className="muted small">{c.mapped ? 'in the map' : 'not in the map yet'}</span></caption>
            <colgroup><col className="c-field" /><col className="c-prop" /><col className="c-why" />{anyMapped && <col className="c-cur" />}<col className="c-dec" /></colgroup>
            <thead><tr><th scope="col">Field</th><th scope="col">Proposed</th><th scope="col">Why</th>{anyMapped && <th scope="col">In the map now</th>}<th scope="col">Decision</th></tr></thead>
            <tbody>
              {c.fields.map((f) => (
                <DraftRow key={f.name} collection={c.name} f={f} mapped={anyMapped} collectionMapped={c.mapped} choice={choices.get(keyOf(c.name, f.name))!}
                  onChoice={(ch) => setChoices((m) => new Map(m).set(keyOf(c.name, f.name), ch))} />
              ))}
            </tbody>
          </table>
        </div>
      ))}
      {shown.length === 0 && <p className="muted">Nothing proposed as personal. Tick “Show every column” to map columns by hand.</p>}
      <form className="inline-form pii-save" onSubmit={(e) => { e.preventDefault(); void save(); }}>
        {!run.system && (
          <div className="field">
            <label htmlFor="pii-system-name">Name of the new system</label>
            <input id="pii-system-name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={64} pattern="[A-Za-z0-9_.\-]+" placeholder="e.g. crm" />
          </div>
        )}
        <p className="muted small pii-counts" aria-live="polite">Listed fields: {counts.accept} accepted · {counts.change} changed · {counts.reject} rejected</p>
        <button type="submit" className="btn primary" disabled={saving || (!run.system && !name.trim())}>{saving ? 'Saving…' : 'Save as data map'}</button>
      </form>
      <ErrorNote error={error} />
    </div>
  );
}

export function PiiDiscoveryPanel({ systems, onSaved }: { systems: SystemView[]; onSaved: () => void }) {
  const { client } = useApi();
  const [target, setTarget] = useState<string>(systems[0]?.name ?? NEW_DB);
  const [engine, setEngine] = useState<'sqlite' | 'postgres' | 'mysql'>('sqlite');
  const [location, setLocation] = useState('');
  const [sampleSize, setSampleSize] = useState('200');
  const [run, setRun] = useState<PiiRunView | null>(null);
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [savedNote, setSavedNote] = useState<string | null>(null);
  const running = run?.state === 'running';

  // Pick up a run still going (or a draft not saved yet) after the screen was left.
  useEffect(() => {
    let live = true;
    client.call('datamap.piiDiscovery.status', {}).then((r) => {
      if (live && r.run && (r.run.state === 'running' || (r.run.state === 'done' && !r.run.savedAs))) setRun((cur) => cur ?? r.run);
    }).catch(() => undefined);
    return () => { live = false; };
  }, [client]);
  useEffect(() => { if (target !== NEW_DB && !systems.some((s) => s.name === target)) setTarget(systems[0]?.name ?? NEW_DB); }, [systems, target]);

  useInterval(() => {
    if (!run) return;
    client.call('datamap.piiDiscovery.status', { runId: run.runId }).then((r) => { if (r.run) setRun(r.run); }, (e: unknown) => setError(e));
  }, 700, running);

  const start = async () => {
    setStarting(true); setError(null); setSavedNote(null);
    try {
      const n = Number(sampleSize);
      const input = target === NEW_DB ? { engine, location, sampleSize: n } : { system: target, sampleSize: n };
      setRun(await client.call('datamap.piiDiscovery.start', input));
    } catch (e) { setError(e); } finally { setStarting(false); }
  };

  const p = run?.progress;
  return (
    <Section title="PII discovery" id="pii-discovery">
      <p className="muted">Propose data categories for every column of a database from its column names and from a sample of its values (emails, phone numbers, card numbers); review the draft and save it as the system’s data map.</p>
      <form className="inline-form" onSubmit={(e) => { e.preventDefault(); void start(); }}>
        <div className="field">
          <label htmlFor="pii-target">Database</label>
          <select id="pii-target" value={target} onChange={(e) => setTarget(e.target.value)} disabled={running}>
            {systems.map((s) => <option key={s.name} value={s.name}>{s.name} ({s.engine})</option>)}
            <option value={NEW_DB}>Another database…</option>
          </select>
        </div>
        {target === NEW_DB && (<>
          <div className="field">
            <label htmlFor="pii-engine">Engine</label>
            <select id="pii-engine" value={engine} onChange={(e) => setEngine(e.target.value as 'sqlite' | 'postgres' | 'mysql')} disabled={running}>
              <option value="sqlite">SQLite file</option>
              <option value="postgres">PostgreSQL</option>
              <option value="mysql">MySQL / MariaDB</option>
            </select>
          </div>
          <div className="field grow">
            <label htmlFor="pii-location">{engine === 'sqlite' ? 'SQLite file path' : engine === 'mysql' ? 'MySQL URL' : 'PostgreSQL URL'}</label>
            <input id="pii-location" value={location} onChange={(e) => setLocation(e.target.value)} required maxLength={2000} spellCheck={false} autoComplete="off"
              placeholder={engine === 'sqlite' ? '/srv/data/crm.sqlite' : engine === 'mysql' ? 'mysql://user@host:3306/db?ssl-mode=VERIFY_IDENTITY' : 'postgres://user@host:5432/db'} disabled={running} />
          </div>
        </>)}
        <div className="field narrow">
          <label htmlFor="pii-sample">Values sampled per column</label>
          <input id="pii-sample" type="number" min={1} max={1000} value={sampleSize} onChange={(e) => setSampleSize(e.target.value)} disabled={running} />
        </div>
        <button type="submit" className="btn primary" disabled={starting || running || (target === NEW_DB && !location.trim())}>Run PII discovery</button>
      </form>
      <ErrorNote error={error} />
      {run && (
        <div className="pii-run" aria-live="polite">
          <p className="small muted pii-run-head">
            {run.label} · started {formatDate(run.startedAt)} by {run.startedBy} · {run.sampleSize} values per column
            {run.savedAs ? <> · <strong>saved as the data map of {run.savedAs}</strong></> : null}
          </p>
          {running && p && (
            <ProgressBar value={p.total ? p.done / p.total : null}
              label={p.total ? `Sampling ${p.collection ?? ''} — ${p.done} of ${p.total} columns` : 'Reading the schema…'} />
          )}
          {run.state === 'failed' && <div className="error-note" role="alert">Discovery failed: {run.error}</div>}
          {run.state === 'done' && <p role="status" className="ok-text">Discovery finished: {run.progress.total} columns looked at.</p>}
        </div>
      )}
      {savedNote && <div className="note ok" role="status">{savedNote}</div>}
      {run?.state === 'done' && run.draft && !run.savedAs && <DraftReview key={run.runId} run={run} onSaved={(r, note) => { setRun(r); setSavedNote(note); onSaved(); }} />}
    </Section>
  );
}
