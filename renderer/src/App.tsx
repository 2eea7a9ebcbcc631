// The console shell: a side navigation and one screen at a time (hash routes).
import { lazy, Suspense, useCallback, useEffect, useRef, useState } from 'react';
import type { ApiClient } from './api/client';
import type { AuthClient, AuthState, SignedIn } from './api/auth';
import { LoginScreen } from './screens/LoginScreen';
import './accounts.css';
import { ApiProvider, useApi } from './api/context';
import { href, useRoute, type Route } from './router';
import { QueueScreen } from './screens/QueueScreen';

// Every screen but the queue loads on first visit (the dashboard with its chart library, the data
// map, the case screen and the new-request form with the case model's zod schemas and
// libphonenumber), so the queue, the screen staff open first, paints from a small bundle.
const CaseScreen = lazy(async () => ({ default: (await import('./screens/CaseScreen')).CaseScreen }));
const NewRequestScreen = lazy(async () => ({ default: (await import('./screens/NewRequestScreen')).NewRequestScreen }));
const DataMapScreen = lazy(async () => ({ default: (await import('./screens/DataMapScreen')).DataMapScreen }));
const DashboardScreen = lazy(async () => ({ default: (await import('./screens/DashboardScreen')).DashboardScreen }));

const NAV: Array<{ route: Route; label: string; key: string }> = [
  { route: { screen: 'queue' }, label: 'Queue', key: 'queue' },
  { route: { screen: 'new' }, label: 'New request', key: 'new' },
  { route: { screen: 'datamap' }, label: 'Data map', key: 'datamap' },
  { route: { screen: 'dashboard' }, label: 'Dashboard', key: 'dashboard' },
];

function Screen({ route }: { route: Route }) {
  switch (route.screen) {
    case 'case': return <Suspense fallback={<p className="meta" role="status">Loading the case…</p>}><CaseScreen id={route.id} /></Suspense>;
    case 'new': return <Suspense fallback={<p className="meta" role="status">Loading the form…</p>}><NewRequestScreen /></Suspense>;
    case 'datamap': return <Suspense fallback={<p className="meta" role="status">Loading the data map…</p>}><DataMapScreen /></Suspense>;
    case 'dashboard': return <Suspense fallback={<p className="meta" role="status">Loading the dashboard…</p>}><DashboardScreen /></Suspense>;
    default: return <QueueScreen />;
  }
}

function UserIndicator({ who, onSignOut }: { who: SignedIn; onSignOut: (() => void) | null }) {
  return (
    <div className="side-user" aria-label="Signed in">
      <div className="who" data-testid="signed-in-user">{who.label}</div>
      {who.user ? <div className="role">{who.user.name} · {who.user.role}</div> : null}
      {onSignOut ? <button type="button" onClick={onSignOut}>Sign out</button> : null}
    </div>
  );
}

function Shell({ mode, who, onSignOut }: { mode: 'electron' | 'web'; who: SignedIn; onSignOut: (() => void) | null }) {
  const route = useRoute();
  const { failure } = useApi();
  const main = useRef<HTMLElement>(null);
  const current = route.screen === 'case' ? 'queue' : route.screen;
  useEffect(() => { main.current?.focus({ preventScroll: true }); }, [route.screen]);
  return (
    <div className="shell">
      <a className="skip" href="#main" onClick={(e) => { e.preventDefault(); main.current?.focus(); }}>Skip to content</a>
      <nav className="side" aria-label="Main">
        <div className="side-inner">
        <div className="brand"><span className="logo" aria-hidden="true">◆</span> PrivacyDesk</div>
        <ul>
          {NAV.map((n) => (
            <li key={n.key}><a href={href(n.route)} aria-current={current === n.key ? 'page' : undefined}>{n.label}</a></li>
          ))}
        </ul>
        <UserIndicator who={who} onSignOut={onSignOut} />
        <div className="side-foot">{mode === 'electron' ? 'Desktop' : 'Web mode · this computer only'}</div>
        </div>
      </nav>
      <main id="main" ref={main} tabIndex={-1}>
        {failure ? (
          <div className="card error-note" role="alert"><h1>The back end is not answering</h1><p>{failure}</p></div>
        ) : <Screen route={route} />}
      </main>
    </div>
  );
}

/** Why the sign-in page shows (?signin=... from the server's redirects), read once and removed from the address. */
function takeReason(): string | null {
  const u = new URL(window.location.href);
  const r = u.searchParams.get('signin');
  if (r) { u.searchParams.delete('signin'); history.replaceState(null, '', `${u.pathname}${u.search}${u.hash}`); }
  return r;
}

export function App({ client, mode, auth }: { client: ApiClient; mode: 'electron' | 'web'; auth: AuthClient }) {
  const [state, setState] = useState<AuthState | 'loading' | { failure: string }>('loading');
  const [reason, setReason] = useState<string | null>(() => takeReason());
  const refresh = useCallback(() => {
    auth.state().then(setState, (e: Error) => setState({ failure: e.message }));
  }, [auth]);
  useEffect(() => { refresh(); }, [refresh]);
  // A call refused as "not signed in" (the session ended elsewhere) brings the sign-in page back.
  useEffect(() => {
    const onAuth = () => { setReason('ended'); refresh(); };
    window.addEventListener('privacy-desk:signed-out', onAuth);
    return () => window.removeEventListener('privacy-desk:signed-out', onAuth);
  }, [refresh]);
  if (state === 'loading') return <p className="meta" role="status" style={{ padding: 24 }}>Loading…</p>;
  if ('failure' in state) return <div className="card error-note" role="alert" style={{ margin: 24 }}><h1>The back end is not answering</h1><p>{state.failure}</p></div>;
  if (!state.signedIn) return <LoginScreen auth={auth} oidc={state.oidc} reason={reason} onSignedIn={() => { setReason(null); refresh(); }} />;
  const signOut = state.signedIn.user ? () => { void auth.logout().then(() => { setReason(null); refresh(); }); } : null;
  return <ApiProvider client={client}><Shell mode={mode} who={state.signedIn} onSignOut={signOut} /></ApiProvider>;
}
