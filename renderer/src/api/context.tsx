// The client and the list of operations the back end offers (areas land at different times: a
// screen shows a section only when its ops exist).
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import type { ApiClient } from './client';

interface ApiState { client: ApiClient; ops: ReadonlySet<string>; ready: boolean; failure: string | null }
const Ctx = createContext<ApiState | null>(null);

export function ApiProvider({ client, children }: { client: ApiClient; children: ReactNode }) {
  const [state, setState] = useState<ApiState>({ client, ops: new Set(), ready: false, failure: null });
  useEffect(() => {
    let live = true;
    client.call('console.ops', {})
      .then((r) => { if (live) setState({ client, ops: new Set(r.ops), ready: true, failure: null }); })
      .catch((e: Error) => { if (live) setState({ client, ops: new Set(), ready: true, failure: e.message }); });
    return () => { live = false; };
  }, [client]);
  return <Ctx.Provider value={state}>{children}</Ctx.Provider>;
}

export function useApi(): ApiState {
  const v = useContext(Ctx);
  if (!v) throw new Error('useApi outside ApiProvider');
  return v;
}
