/** What each alert rule of the stats service watches (libs/stats-model/src/alerts/alert-rules.ts). */
export const ALERT_DESCRIPTIONS: Record<string, string> = {
  LOW_SUCCESS_RATE: 'Success rate among finished items is below its threshold (default 85%)',
  ACCUMULATED_FAILURES: 'Failures still standing (retryable + abandoned) are above their threshold (default 20)',
  STUCK_PENDING: 'The oldest pending item is older than its threshold (default 1 h)',
  HIGH_ERROR_RATE: 'Failed attempts in the last minutes are above their share of attempts (default 10%)',
};

export interface AlertGauge {
  rule: string;
  raised: boolean;
}

/**
 * The alert rules as `/metrics` exposes them (`workpipe_alerts_raised{rule="..."} 1|0`, as last
 * evaluated by the instance answering): the API has no JSON endpoint for active alerts.
 * Empty until the instance has evaluated the rules once.
 */
export function alertGaugesOf(metrics: string): AlertGauge[] {
  const gauges: AlertGauge[] = [];
  for (const match of metrics.matchAll(/^workpipe_alerts_raised\{([^}]*)\}\s+(\S+)/gm)) {
    const rule = /(?:^|,)rule="([^"]+)"/.exec(match[1] ?? '')?.[1];
    if (rule) gauges.push({ rule, raised: Number(match[2]) > 0 });
  }
  return gauges.sort((a, b) => a.rule.localeCompare(b.rule));
}
