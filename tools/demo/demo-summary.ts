import type { StatsView } from '@workpipe/stats-model';

const pct = (part: number, whole: number): string => (whole === 0 ? '-' : `${((part / whole) * 100).toFixed(1)}%`);

/** Breakdown such as `API_ERROR 3, AUTHENTICATION 1`, largest first. */
function breakdown(counts: Record<string, number>): string {
  return Object.entries(counts)
    .filter(([, count]) => count > 0)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([name, count]) => `${name} ${count}`)
    .join(', ');
}

export interface DemoSummaryInput {
  batchId: string;
  view: StatsView;
  /** The goal the seed system set for itself, as a fraction. */
  goal: number;
  statsUrl: string;
  elapsedMs: number;
}

/** The final report, in the spirit of the seed system's batch summary. */
export function formatDemoSummary({ batchId, view, goal, statsUrl, elapsedMs }: DemoSummaryInput): string {
  const { submitted, succeeded, abandoned, pending } = view.items;
  const firstPass = view.succeeded.firstAttempt;
  const recovered = view.succeeded.afterRetries;
  const finalRate = submitted === 0 ? 0 : succeeded / submitted;
  const lines = [
    '',
    `RESULT: batch ${batchId}, ${submitted} portfolios, ${(elapsedMs / 1000).toFixed(0)} s`,
    `  First-pass success rate  ${pct(firstPass, submitted).padStart(6)}  (${firstPass}/${submitted} on the first attempt)`,
    `  Final success rate       ${pct(succeeded, submitted).padStart(6)}  (${succeeded}/${submitted})`,
    `  Recovered by retries     ${String(recovered).padStart(6)}  (${pct(recovered, view.failures.items)} of the ${view.failures.items} that failed at least once)`,
    `  Abandoned                ${String(abandoned).padStart(6)}${abandoned > 0 ? `  by reason: ${breakdown(view.abandoned.byReason)}; by last failure: ${breakdown(view.abandoned.byType)}` : ''}`,
  ];
  if (pending > 0) lines.push(`  Still pending            ${String(pending).padStart(6)}`);
  lines.push(
    `  Failed attempts          ${String(view.failures.attempts).padStart(6)}  (${breakdown(view.failures.attemptsByType)})`,
    `  Succeeded on attempt     ${Object.entries(view.succeeded.byAttempt)
      .sort(([a], [b]) => Number(a) - Number(b))
      .map(([attempt, count]) => `#${attempt}: ${count}`)
      .join(', ')}`,
    '',
    finalRate >= goal
      ? `  Goal reached: success rate ${pct(succeeded, submitted)} >= ${(goal * 100).toFixed(0)}%`
      : `  Goal missed: success rate ${pct(succeeded, submitted)} < ${(goal * 100).toFixed(0)}%`,
    '',
    'The same numbers from the API:',
    `  curl -s ${statsUrl}/v1/batches/${encodeURIComponent(batchId)}`,
    `  curl -s '${statsUrl}/v1/failures?status=abandoned'      (and /v1/failures.csv, /v1/stats, /metrics; docs at ${statsUrl}/docs)`,
    `  npm run cli -- failure-stats                            (the seed's failure-stats report)`,
    '',
  );
  return lines.join('\n');
}
