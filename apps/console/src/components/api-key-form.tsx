import { useState } from 'preact/hooks';
import { ApiError } from '../api/api-error';
import { rolesText, type CallerState } from '../api/caller-context';

/**
 * Where the person gives the console an API key: a read key shows everything, an operate key can
 * also replay. The key is kept for this tab only (sessionStorage) and sent in a header; what it
 * may do is the service's answer (`GET /v1/me`), shown beside it.
 */
export function ApiKeyForm({ apiKey, caller, onChange }: { apiKey: string | null; caller: CallerState; onChange: (key: string | null) => void }) {
  const [draft, setDraft] = useState('');
  if (apiKey) {
    return (
      <div class="key-form">
        <span class="key-set">API key set (…{apiKey.slice(-4)})</span>
        <KeyRoles caller={caller} />
        <button type="button" onClick={() => onChange(null)}>
          Forget key
        </button>
      </div>
    );
  }
  if (caller.caller && !caller.caller.keysConfigured) {
    return (
      <div class="key-form">
        <span class="key-roles">No API key needed: authentication is off (every role)</span>
      </div>
    );
  }
  return (
    <form
      class="key-form"
      onSubmit={(event) => {
        event.preventDefault();
        const key = draft.trim();
        if (key) onChange(key);
        setDraft('');
      }}
    >
      <label>
        API key{' '}
        <input type="password" name="api-key" autocomplete="off" spellcheck={false} value={draft} onInput={(event) => setDraft(event.currentTarget.value)} />
      </label>
      <button type="submit">Use key</button>
    </form>
  );
}

/** The roles the service gave the key, or why it gave none. */
function KeyRoles({ caller }: { caller: CallerState }) {
  if (caller.caller) return <span class="key-roles">Role{caller.caller.roles.length === 1 ? '' : 's'}: {rolesText(caller.caller)}</span>;
  if (caller.error instanceof ApiError && caller.error.unauthenticated) return <span class="key-roles bad">Not a valid key</span>;
  return null;
}
