// Hash routing: `#/missions` opens the Missions view. Plain links keep every view
// reachable by keyboard, with the browser's own focus and activation behaviour.
import { views, type View } from './messages';

export function viewFromHash(hash: string): View {
  const name = hash.replace(/^#\/?/, '').split('?')[0];
  return (views as readonly string[]).includes(name) ? (name as View) : 'overview';
}

export function hrefFor(view: View, params: Record<string, string> = {}): string {
  const query = Object.entries(params)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
  return query ? `#/${view}?${query}` : `#/${view}`;
}

/** The parameters a link gave its view (`#/documents?kind=access_report&case=…`). */
export function hashParams(hash: string): Readonly<Record<string, string | undefined>> {
  const at = hash.indexOf('?');
  const pairs = at < 0 ? [] : hash.slice(at + 1).split('&').filter(Boolean);
  return Object.fromEntries(
    pairs.map((pair) => {
      const [k, v = ''] = pair.split('=');
      return [decodeURIComponent(k), decodeURIComponent(v.replace(/\+/g, ' '))];
    }),
  );
}

/** The view for an Alt+digit shortcut (Alt+1 is the first menu entry), if any. */
export function viewForShortcut(event: Pick<KeyboardEvent, 'altKey' | 'ctrlKey' | 'metaKey' | 'key'>): View | null {
  if (!event.altKey || event.ctrlKey || event.metaKey) return null;
  const index = Number.parseInt(event.key, 10) - 1;
  return Number.isInteger(index) && index >= 0 && index < views.length ? views[index] : null;
}

export const route = $state({ view: viewFromHash(globalThis.location?.hash ?? '') });

export function startRouting(): () => void {
  const update = () => {
    route.view = viewFromHash(location.hash);
  };
  window.addEventListener('hashchange', update);
  return () => window.removeEventListener('hashchange', update);
}
