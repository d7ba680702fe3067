import { ABANDON_REASONS, BUILT_IN_FAILURE_TYPES, OperationsApi } from '@workpipe/contracts';
import { useState } from 'preact/hooks';
import { useApi } from '../api/api-context';
import { mayOperate, useCaller } from '../api/caller-context';
import type { StatsAnswer } from '../api/api-types';
import { usePolled } from '../api/use-polled';
import { formatCount, formatTime } from '../components/format';
import { Notice } from '../components/notice';
import { StatList } from '../components/stat-list';
import { hrefOf, navigate } from '../routing/use-hash-route';
import { ReadOnlyNotice } from './read-only-notice';

interface Draft {
  kind: 'dead-letters' | 'retry-failures';
  types: string[];
  reasons: string[];
  batchIds: string;
  itemIds: string;
  partition: string;
  fromOffset: string;
  toOffset: string;
  since: string;
  until: string;
  max: string;
  trial: string;
  ratePerSecond: string;
  replayId: string;
}

const list = (text: string): string[] => text.split(/[\s,]+/).filter(Boolean);
const iso = (local: string): string | undefined => (local ? new Date(local).toISOString() : undefined);
const numberOr = (text: string): number | undefined => (text.trim() === '' ? undefined : Number(text));

/** The request a draft makes: the selection, the pacing, and the form's words for `asked`. */
function requestOf(draft: Draft, dryRun: boolean): { body: unknown; asked: string } {
  const words: string[] = [];
  let selection: Record<string, unknown>;
  if (draft.kind === 'retry-failures') {
    selection = { kind: 'retry-failures', types: draft.types.length ? draft.types : undefined, max: numberOr(draft.max) };
    words.push('every abandoned item worth retrying');
    if (draft.types.length) words.push(`types ${draft.types.join(',')}`);
    if (draft.max) words.push(`at most ${draft.max}`);
  } else {
    const partitions = draft.partition.trim() ? [Number(draft.partition)] : undefined;
    selection = {
      kind: 'dead-letters',
      types: draft.types.length ? draft.types : undefined,
      reasons: draft.reasons.length ? draft.reasons : undefined,
      batchIds: list(draft.batchIds).length ? list(draft.batchIds) : undefined,
      itemIds: list(draft.itemIds).length ? list(draft.itemIds) : undefined,
      partitions,
      fromOffset: draft.fromOffset.trim() || undefined,
      toOffset: draft.toOffset.trim() || undefined,
      since: iso(draft.since),
      until: iso(draft.until),
    };
    for (const [name, value] of Object.entries(selection)) if (name !== 'kind' && value !== undefined) words.push(`${name} ${Array.isArray(value) ? value.join(',') : String(value)}`);
  }
  const pacing = { trial: numberOr(draft.trial), ratePerSecond: numberOr(draft.ratePerSecond) };
  if (pacing.trial) words.push(`trial ${pacing.trial}`);
  if (pacing.ratePerSecond) words.push(`${pacing.ratePerSecond}/s`);
  const asked = `console: ${words.join('; ')}`;
  return { body: { selection, dryRun, sampleLimit: 20, ...pacing, replayId: draft.replayId.trim() || undefined, asked: asked.slice(0, 2000) }, asked };
}

/** The request checked with the contract before it is sent: the form's mistakes, said at once. */
function validated(draft: Draft, dryRun: boolean): { body?: OperationsApi.CreateReplayBody; problems: string[] } {
  const parsed = OperationsApi.CreateReplayBodySchema.safeParse(requestOf(draft, dryRun).body);
  if (parsed.success) return { body: parsed.data, problems: [] };
  return { problems: parsed.error.issues.map((issue) => `${issue.path.filter((part) => part !== 'selection').join('.') || 'selection'}: ${issue.message}`) };
}

/**
 * A new replay: choose the dead letters (or every abandoned item worth retrying), see the dry run's
 * count, then start it, with a trial first if asked. Start is offered once the dry run of exactly
 * this selection was seen. Offered only to a key the service says has the operate role.
 */
export function ReplayForm({ batchId }: { batchId?: string }) {
  const api = useApi();
  const [draft, setDraft] = useState<Draft>({
    kind: 'dead-letters',
    types: [],
    reasons: [],
    batchIds: batchId ?? '',
    itemIds: '',
    partition: '',
    fromOffset: '',
    toOffset: '',
    since: '',
    until: '',
    max: '',
    trial: '',
    ratePerSecond: '',
    replayId: '',
  });
  const [dryRun, setDryRun] = useState<{ of: string; result: OperationsApi.DryRunResult } | undefined>(undefined);
  const [problems, setProblems] = useState<string[]>([]);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const operator = mayOperate(useCaller());
  const overall = usePolled(() => api.get<StatsAnswer>('/v1/stats?minutes=1'), 0, [api]);
  const types = [...new Set([...BUILT_IN_FAILURE_TYPES, ...Object.keys(overall.data?.failures.itemsByType ?? {}), ...Object.keys(overall.data?.abandoned.byType ?? {})])].sort();
  // The dry run stands for the selection only: pacing and id may change after it.
  const selectionKey = JSON.stringify((validated(draft, true).body ?? {}).selection ?? null);
  const edit = (change: Partial<Draft>) => setDraft({ ...draft, ...change });
  const toggle = (field: 'types' | 'reasons', value: string, on: boolean) =>
    edit({ [field]: on ? [...draft[field], value] : draft[field].filter((entry) => entry !== value) } as Partial<Draft>);

  const send = async (asDryRun: boolean) => {
    const { body, problems: found } = validated(draft, asDryRun);
    setProblems(found);
    setError(undefined);
    if (!body) return;
    setBusy(true);
    try {
      if (asDryRun) {
        setDryRun({ of: selectionKey, result: await api.post('/v1/replays', body, OperationsApi.DryRunResultSchema) });
      } else {
        const view = await api.post('/v1/replays', body, OperationsApi.ReplayViewSchema);
        navigate(hrefOf(['replays', view.replayId]));
      }
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  if (!operator) return <ReadOnlyNotice />;
  const seen = dryRun && dryRun.of === selectionKey ? dryRun.result : undefined;
  return (
    <section aria-label="New replay" class="replay-form">
      <h2>New replay</h2>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void send(true);
        }}
      >
        <fieldset>
          <legend>Dead letters to replay</legend>
          <label class="inline">
            <input type="radio" name="kind" checked={draft.kind === 'dead-letters'} onChange={() => edit({ kind: 'dead-letters' })} /> Chosen by what they say and where they are
          </label>
          <label class="inline">
            <input type="radio" name="kind" checked={draft.kind === 'retry-failures'} onChange={() => edit({ kind: 'retry-failures' })} /> Every abandoned item still worth retrying
          </label>
        </fieldset>
        <fieldset>
          <legend>Failure types</legend>
          {types.map((type) => (
            <label class="inline" key={type}>
              <input type="checkbox" checked={draft.types.includes(type)} onChange={(event) => toggle('types', type, event.currentTarget.checked)} /> {type}
            </label>
          ))}
        </fieldset>
        {draft.kind === 'dead-letters' ? (
          <>
            <fieldset>
              <legend>Reasons</legend>
              {ABANDON_REASONS.map((reason) => (
                <label class="inline" key={reason}>
                  <input type="checkbox" checked={draft.reasons.includes(reason)} onChange={(event) => toggle('reasons', reason, event.currentTarget.checked)} /> {reason}
                </label>
              ))}
            </fieldset>
            <fieldset class="grid">
              <legend>Where and when</legend>
              <label>
                Batch ids <input name="batchIds" value={draft.batchIds} onInput={(event) => edit({ batchIds: event.currentTarget.value })} />
              </label>
              <label>
                Item ids <input name="itemIds" value={draft.itemIds} onInput={(event) => edit({ itemIds: event.currentTarget.value })} />
              </label>
              <label>
                Partition <input name="partition" class="short" inputMode="numeric" value={draft.partition} onInput={(event) => edit({ partition: event.currentTarget.value })} />
              </label>
              <label>
                From offset <input name="fromOffset" class="short" inputMode="numeric" value={draft.fromOffset} onInput={(event) => edit({ fromOffset: event.currentTarget.value })} />
              </label>
              <label>
                To offset <input name="toOffset" class="short" inputMode="numeric" value={draft.toOffset} onInput={(event) => edit({ toOffset: event.currentTarget.value })} />
              </label>
              <label>
                Abandoned since <input type="datetime-local" step={1} name="since" value={draft.since} onInput={(event) => edit({ since: event.currentTarget.value })} />
              </label>
              <label>
                Abandoned until <input type="datetime-local" step={1} name="until" value={draft.until} onInput={(event) => edit({ until: event.currentTarget.value })} />
              </label>
            </fieldset>
          </>
        ) : (
          <fieldset class="grid">
            <legend>How many</legend>
            <label>
              At most <input name="max" class="short" inputMode="numeric" value={draft.max} onInput={(event) => edit({ max: event.currentTarget.value })} /> items (oldest first)
            </label>
          </fieldset>
        )}
        <fieldset class="grid">
          <legend>Pacing</legend>
          <label>
            Trial size <input name="trial" class="short" inputMode="numeric" value={draft.trial} onInput={(event) => edit({ trial: event.currentTarget.value })} />
          </label>
          <label>
            Items per second <input name="ratePerSecond" class="short" inputMode="decimal" value={draft.ratePerSecond} onInput={(event) => edit({ ratePerSecond: event.currentTarget.value })} />
          </label>
          <label>
            Replay id <input name="replayId" placeholder="generated" value={draft.replayId} onInput={(event) => edit({ replayId: event.currentTarget.value })} />
          </label>
        </fieldset>
        {problems.length ? (
          <ul class="notice error" role="alert">
            {problems.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
        ) : null}
        <Notice error={error} />
        <div class="actions">
          <button type="submit" disabled={busy}>
            Dry run
          </button>
          <button type="button" disabled={busy || !seen || seen.counts.wouldReplay === 0} onClick={() => void send(false)}>
            {draft.trial ? `Start replay with a trial of ${draft.trial}` : 'Start replay'}
          </button>
        </div>
      </form>
      {seen ? <DryRunAnswer result={seen} /> : <p class="hint">Start is offered after a dry run of this selection.</p>}
    </section>
  );
}

function DryRunAnswer({ result }: { result: OperationsApi.DryRunResult }) {
  return (
    <section aria-label="Dry run" class="dry-run">
      <h3>Dry run: {result.selectionText}</h3>
      <StatList
        label="Dry run counts"
        stats={[
          { label: 'Would replay', value: formatCount(result.counts.wouldReplay) },
          { label: 'Dead letters read', value: formatCount(result.counts.read) },
          { label: 'Already replayed', value: formatCount(result.counts.alreadyReplayed) },
          { label: 'Not matching', value: formatCount(result.counts.skippedByFilter) },
          { label: 'Superseded by a later one', value: formatCount(result.counts.superseded) },
          { label: 'Undecodable', value: formatCount(result.counts.undecodable) },
        ]}
      />
      {result.rows.length ? (
        <table class="list">
          <caption>First {formatCount(result.rows.length)} that would be replayed</caption>
          <thead>
            <tr>
              <th scope="col">Item</th>
              <th scope="col">Position</th>
              <th scope="col">Type</th>
              <th scope="col">Reason</th>
              <th scope="col" class="num">Attempts</th>
              <th scope="col">Abandoned at</th>
              <th scope="col">Message</th>
            </tr>
          </thead>
          <tbody>
            {result.rows.map((row) => (
              <tr key={`${row.partition}:${row.offset}`}>
                <th scope="row">
                  <a href={hrefOf(['items', row.itemId])}>{row.itemId}</a>
                </th>
                <td>
                  [{row.partition}] @ {row.offset}
                </td>
                <td>{row.lastFailureType}</td>
                <td>{row.reason}</td>
                <td class="num">{formatCount(row.attempts)}</td>
                <td>{formatTime(row.abandonedAt)}</td>
                <td class="message">{row.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
