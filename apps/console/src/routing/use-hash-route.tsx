import { useEffect, useState } from 'preact/hooks';

/** Where the page is: `#/batches/b-1?x=1` is `{ segments: ['batches', 'b-1'], query: x=1 }`. */
export interface HashRoute {
  segments: string[];
  query: URLSearchParams;
}

export function currentRoute(hash: string = location.hash): HashRoute {
  const text = hash.replace(/^#\/?/, '');
  const [path = '', search = ''] = text.split('?', 2) as [string?, string?];
  return { segments: path.split('/').filter(Boolean).map(decodeURIComponent), query: new URLSearchParams(search) };
}

/**
 * The views are hash routes (`/console#/batches/b-1`): the service serves one document at
 * /console, and a reload or a shared link opens the same view. The key never goes into them.
 */
export function useHashRoute(): HashRoute {
  const [route, setRoute] = useState(() => currentRoute());
  useEffect(() => {
    const update = () => setRoute(currentRoute());
    addEventListener('hashchange', update);
    return () => removeEventListener('hashchange', update);
  }, []);
  return route;
}

/** `#/` + segments (encoded) + the query's non-empty entries. */
export function hrefOf(segments: string[], query: Record<string, string | number | undefined | null> = {}): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined && value !== null && value !== '') search.set(name, String(value));
  const text = search.toString();
  return `#/${segments.map(encodeURIComponent).join('/')}${text ? `?${text}` : ''}`;
}

export function navigate(href: string): void {
  location.hash = href.replace(/^#/, '');
}
