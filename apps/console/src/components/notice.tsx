import type { ComponentChildren } from 'preact';
import { describeError } from '../api/api-error';

/** A message box: an error of the API (said plainly), or a note. */
export function Notice({ error, children, kind = 'error' }: { error?: unknown; children?: ComponentChildren; kind?: 'error' | 'info' }) {
  if (error === undefined && !children) return null;
  return (
    <p class={`notice ${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {error !== undefined ? describeError(error) : children}
    </p>
  );
}
