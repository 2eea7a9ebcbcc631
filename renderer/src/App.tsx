// The console shell: a side navigation and one screen at a time (hash routes).
import { lazy, Suspense, useEffect, useRef } from 'react';
import type { ApiClient } from './api/client';
import { ApiProvider, useApi } from './api/context';
import { href, useRoute, type Route } from './router';
import { QueueScreen } from './screens/QueueScreen';
import { CaseScreen } from './screens/CaseScreen';
import { NewRequestScreen } from './screens/NewRequestScreen';

// The dashboard (with its chart library) and the data map load on first visit, so the queue, the
// screen staff open first, paints from a smaller bundle.
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
    case 'case': return <CaseScreen id={route.id} />;
    case 'new': return <NewRequestScreen />;
    case 'datamap': return <Suspense fallback={<p className="meta" role="status">Loading the data map…</p>}><DataMapScreen /></Suspense>;
    case 'dashboard': return <Suspense fallback={<p className="meta" role="status">Loading the dashboard…</p>}><DashboardScreen /></Suspense>;
    default: return <QueueScreen />;
  }
}

function Shell({ mode }: { mode: 'electron' | 'web' | 'no-token' }) {
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
        <div className="side-foot">{mode === 'electron' ? 'Desktop' : 'Web mode · this computer only'}</div>
        </div>
      </nav>
      <main id="main" ref={main} tabIndex={-1}>
        {mode === 'no-token' ? (
          <div className="card"><h1>Session link needed</h1><p>Open the console with the link printed by <code>npm start</code> (it carries this session&apos;s token).</p></div>
        ) : failure ? (
          <div className="card error-note" role="alert"><h1>The back end is not answering</h1><p>{failure}</p></div>
        ) : <Screen route={route} />}
      </main>
    </div>
  );
}

export function App({ client, mode }: { client: ApiClient; mode: 'electron' | 'web' | 'no-token' }) {
  return <ApiProvider client={client}><Shell mode={mode} /></ApiProvider>;
}
