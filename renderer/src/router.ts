// Hash routing (#/queue, #/case/PD-..., #/new, #/datamap, #/dashboard): works from file:// in
// Electron and from the web server without server-side routes.
import { useEffect, useState } from 'react';

export type Route =
  | { screen: 'queue' }
  | { screen: 'case'; id: string }
  | { screen: 'new' }
  | { screen: 'datamap' }
  | { screen: 'dashboard' };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/u, '');
  const m = /^\/case\/([A-Za-z0-9_-]{1,64})$/u.exec(path);
  if (m) return { screen: 'case', id: m[1]! };
  if (path === '/new') return { screen: 'new' };
  if (path === '/datamap') return { screen: 'datamap' };
  if (path === '/dashboard') return { screen: 'dashboard' };
  return { screen: 'queue' };
}

export function href(route: Route): string {
  return route.screen === 'case' ? `#/case/${route.id}` : `#/${route.screen}`;
}

export function navigate(route: Route): void {
  window.location.hash = href(route).slice(1);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const on = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}
