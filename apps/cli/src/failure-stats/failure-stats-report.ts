/** What `failure-stats` prints, gathered from the stats service. */
export interface FailureStatsReport {
  /** Items failed and waiting for a retry. */
  retryable: number;
  abandoned: number;
  /** First failure of the oldest failed item still in view, ISO-8601. */
  oldestFailureAt: string | null;
  byType: Record<string, number>;
}

/** Hours, one decimal: `2.5 hours`; minutes under an hour. */
export function formatAge(fromIso: string, nowMs: number): string {
  const ms = Math.max(0, nowMs - Date.parse(fromIso));
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} minutes`;
  return `${(ms / 3_600_000).toFixed(1)} hours`;
}

/** The seed's failure-stats layout, in English. */
export function formatFailureStats(report: FailureStatsReport, nowMs: number): string {
  const lines = [
    'FAILURE STATS:',
    `   Total outstanding:     ${report.retryable + report.abandoned}`,
    `   Waiting for a retry:   ${report.retryable}`,
    `   Abandoned:             ${report.abandoned}`,
    `   Oldest failure:        ${report.oldestFailureAt ? `${formatAge(report.oldestFailureAt, nowMs)} ago` : '-'}`,
    '',
    'FAILURES BY TYPE:',
  ];
  const types = Object.entries(report.byType)
    .filter(([, count]) => count > 0)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
  if (types.length === 0) lines.push('   (none)');
  for (const [type, count] of types) lines.push(`   ${type}: ${count}`);
  return `${lines.join('\n')}\n`;
}
