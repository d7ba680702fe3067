import type { OperationsApi } from '@workpipe/contracts';
import type { CliIo } from '../cli-io';
import type { StatsApiClient } from '../stats-api/stats-api-client';
import { replayProgress } from './replay-progress';

/** Pause between two looks at a running replay, in milliseconds. */
export const FOLLOW_INTERVAL_MS = 500;

/**
 * Follows a replay's run in the stats service until it ends (its state is no
 * longer `running` and its latest run is at least `run`), showing progress on
 * stderr once it republishes; resolves with the replay's final view.
 * `onView` sees every view (retry-failures prints its candidates from one).
 */
export async function followRun(
  client: StatsApiClient,
  io: Pick<CliIo, 'stderr' | 'now' | 'sleep'>,
  replayId: string,
  run: number,
  onView: (view: OperationsApi.ReplayView) => void = () => undefined,
): Promise<OperationsApi.ReplayView> {
  const progress = replayProgress(io.stderr, io.now);
  let started = false;
  let last = '';
  try {
    for (;;) {
      const view = await client.replay(replayId);
      onView(view);
      const current = view.lastRun.run >= run;
      if (current && view.phase === 'publishing' && !started) {
        started = true;
        const toDo = Math.max(0, view.counts.selected - view.lastRun.earlier);
        const pacing = view.lastRun.pacing;
        io.stderr.write(
          `Replay ${replayId}: ${pacing.trial === undefined ? toDo : Math.min(toDo, pacing.trial)} to republish` +
            (pacing.trial === undefined ? '' : `, trial of ${pacing.trial}`) +
            (pacing.ratePerSecond === undefined ? '' : `, at most ${pacing.ratePerSecond} items/s`) +
            '\n',
        );
        progress.start(pacing.trial === undefined ? toDo : Math.min(toDo, pacing.trial));
      }
      if (current && started) {
        const done = { republished: view.lastRun.counts.republished, alreadyReplayed: view.lastRun.counts.alreadyReplayed };
        const line = `${done.republished}:${done.alreadyReplayed}`;
        if (line !== last) progress.update(done);
        last = line;
      }
      if (current && view.state !== 'running') return view;
      await io.sleep(FOLLOW_INTERVAL_MS);
    }
  } finally {
    progress.stop();
  }
}
