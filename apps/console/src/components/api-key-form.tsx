import { useState } from 'preact/hooks';

/**
 * Where the person gives the console an API key: a read key shows everything, an operate key can
 * also replay. The key is kept for this tab only (sessionStorage) and sent in a header.
 */
export function ApiKeyForm({ apiKey, onChange }: { apiKey: string | null; onChange: (key: string | null) => void }) {
  const [draft, setDraft] = useState('');
  if (apiKey) {
    return (
      <div class="key-form">
        <span class="key-set">API key set (…{apiKey.slice(-4)})</span>
        <button type="button" onClick={() => onChange(null)}>
          Forget key
        </button>
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
