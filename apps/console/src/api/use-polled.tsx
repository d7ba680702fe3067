import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from './api-error';

export interface Polled<T> {
  data: T | undefined;
  error: unknown;
  /** True until the first answer (or error). */
  loading: boolean;
  /** Loads again now. */
  refresh: () => void;
}

/**
 * Loads `load()` now and again every `intervalMs` (none when 0) while the view is shown, and
 * again whenever `deps` change. A slow answer is never overtaken by an older one. A 401 stops
 * the polling: nothing changes until a key is typed (which remounts the view).
 */
export function usePolled<T>(load: () => Promise<T>, intervalMs: number, deps: unknown[]): Polled<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [loading, setLoading] = useState(true);
  const generation = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const loadRef = useRef(load);
  loadRef.current = load;

  const run = useCallback(() => {
    const mine = ++generation.current;
    clearTimeout(timer.current);
    loadRef.current().then(
      (value) => {
        if (mine !== generation.current) return;
        setData(value);
        setError(undefined);
        setLoading(false);
      },
      (failure: unknown) => {
        if (mine !== generation.current) return;
        setError(failure);
        setLoading(false);
        if (failure instanceof ApiError && failure.unauthenticated) generation.current++;
      },
    ).finally(() => {
      if (mine === generation.current && intervalMs > 0) timer.current = setTimeout(run, intervalMs);
    });
  }, [intervalMs]);

  useEffect(() => {
    setLoading(true);
    setData(undefined);
    setError(undefined);
    run();
    return () => {
      generation.current++;
      clearTimeout(timer.current);
    };
  }, [run, ...deps]);

  return { data, error, loading, refresh: run };
}
