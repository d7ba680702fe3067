import type { ChaosResult } from './chaos-run';
import { outcomesHold } from './outcome-check';

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** Up to `limit` ids of a list, and how many more. */
function some(ids: readonly string[], limit = 5): string {
  if (ids.length === 0) return '0';
  return `${ids.length} (${ids.slice(0, limit).join(', ')}${ids.length > limit ? ', ...' : ''})`;
}

/** True when the run found nothing wrong: no item lost, doubled or stuck, the stats agreeing, every fault survived. */
export function chaosRunPassed(result: ChaosResult): boolean {
  return outcomesHold(result.outcomes) && result.converged && result.failures.length === 0 && result.statsMismatches.length === 0;
}

/** The figures of a run, for people: faults survived (when and what), items accepted, lost, doubled, stuck, time to converge. */
export function formatChaosReport(result: ChaosResult): string {
  const { outcomes } = result;
  const lines = [
    `chaos run ${result.runId}: seed ${result.seed} (CHAOS_SEED=${result.seed} repeats the plan), topics ${result.topicPrefix}*, Redis ${result.redisPrefix}*`,
    `faults survived: ${result.faults.length} of ${result.plan.length} planned`,
    ...result.faults.map(
      (fault) =>
        `  #${fault.number} at ${seconds(fault.injectedAtMs)} (planned ${seconds(fault.atMs)}): ${fault.kind} ${fault.target}: ${fault.detail}; back at ${seconds(fault.recoveredAtMs)}`,
    ),
    ...result.brokerOutages.map(
      (outage) =>
        `  broker fault #${outage.fault}: the ingestor answered 503 ${outage.unavailable503} times, other ${outage.other.length}, accepted ${outage.acceptedWhileDown} requests while it was down; ` +
        (outage.acceptedAfterMs === null ? 'nothing accepted after it' : `accepting again ${seconds(outage.acceptedAfterMs)} after the broker was back`),
    ),
    `requests retried by the client: ${result.unavailable.length} (${result.unavailable.filter((answer) => answer.status === 503).length} were 503)`,
    `items accepted: ${outcomes.accepted}${outcomes.uncertain > 0 ? `, outcome unknown to the client: ${outcomes.uncertain}` : ''}`,
    `terminal outcomes: ${outcomes.succeeded} succeeded, ${outcomes.abandoned} abandoned`,
    `lost: ${some(outcomes.lost)}`,
    `duplicated terminal outcomes: ${some(outcomes.duplicated)} (in both topics: ${outcomes.inBoth.length})`,
    ...result.duplicateTrails.map((trail) => `  ${trail}`),
    `stuck (no terminal outcome at the end): ${some(outcomes.stuck)}`,
    `unexpected outcomes: ${some(outcomes.unexpected)}`,
    `stats vs topics: ${result.statsMismatches.length === 0 ? 'agree' : result.statsMismatches.join('; ')}`,
    ...(result.readersBehind.length > 0 ? [`readers behind: ${result.readersBehind.join('; ')}`] : []),
    `load: ${seconds(result.loadMs)}; time to converge after it: ${result.convergeMs === null ? 'did not converge' : seconds(result.convergeMs)}`,
    ...result.failures.map((failure) => `run failure: ${failure}`),
    `verdict: ${chaosRunPassed(result) ? 'PASS' : 'FAIL'}`,
  ];
  return lines.join('\n');
}
