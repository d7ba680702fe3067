import { ABANDON_REASONS } from '@workpipe/contracts';
import { useState } from 'preact/hooks';

/** The failures list's filter, as in the page's address (`#/failures?type=...&reason=...`). */
export interface FailureFilter {
  type: string;
  status: string;
  reason: string;
  batchId: string;
  olderThanMinutes: string;
}

export interface FailureFilterFormProps {
  /** The filter in force; the form starts from it (give the form a new key when it changes). */
  applied: FailureFilter;
  /** Failure types to offer: built-in ones and those seen. */
  types: string[];
  onApply: (filter: FailureFilter) => void;
  onExport: () => void;
}

/** Type, status, reason, batch and age of the failures listed; Filter applies, Export CSV downloads them. */
export function FailureFilterForm({ applied, types, onApply, onExport }: FailureFilterFormProps) {
  const [draft, setDraft] = useState<FailureFilter>(applied);
  return (
    <form
      class="filters"
      aria-label="Filters"
      onSubmit={(event) => {
        event.preventDefault();
        onApply(draft);
      }}
    >
      <span class="field">
        <label for="failures-type">Type</label>
        <select id="failures-type" name="type" value={draft.type} onChange={(event) => setDraft({ ...draft, type: event.currentTarget.value })}>
          <option value="">Any</option>
          {types.map((type) => (
            <option key={type} value={type}>
              {type}
            </option>
          ))}
        </select>
      </span>
      <span class="field">
        <label for="failures-status">Status</label>
        <select
          id="failures-status"
          name="status"
          value={draft.reason ? 'abandoned' : draft.status}
          disabled={!!draft.reason}
          onChange={(event) => setDraft({ ...draft, status: event.currentTarget.value })}
        >
          <option value="">Any</option>
          <option value="retryable">Waiting for a retry</option>
          <option value="abandoned">Abandoned</option>
        </select>
      </span>
      <span class="field">
        <label for="failures-reason">Reason</label>
        <select id="failures-reason" name="reason" value={draft.reason} onChange={(event) => setDraft({ ...draft, reason: event.currentTarget.value })}>
          <option value="">Any</option>
          {ABANDON_REASONS.map((reason) => (
            <option key={reason} value={reason}>
              {reason}
            </option>
          ))}
        </select>
      </span>
      <label>
        Batch{' '}
        <input name="batchId" value={draft.batchId} onInput={(event) => setDraft({ ...draft, batchId: event.currentTarget.value })} />
      </label>
      <label>
        First failure at least{' '}
        <input name="olderThanMinutes" class="short" inputMode="decimal" value={draft.olderThanMinutes} onInput={(event) => setDraft({ ...draft, olderThanMinutes: event.currentTarget.value })} /> min ago
      </label>
      <button type="submit">Filter</button>
      <button type="button" onClick={() => onApply({ type: '', status: '', reason: '', batchId: '', olderThanMinutes: '' })}>
        Clear
      </button>
      <button type="button" onClick={onExport}>
        Export CSV
      </button>
    </form>
  );
}
