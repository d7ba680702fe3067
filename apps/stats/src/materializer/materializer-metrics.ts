import { Counter } from 'prom-client';

/** Events read by the materializer, by topic role and outcome (applied, duplicate, stale, invalid). */
export const materializedEvents = new Counter({
  name: 'workpipe_stats_events_total',
  help: 'Events read by the stats materializer, by topic role and outcome (applied, duplicate, stale, invalid)',
  labelNames: ['topic', 'outcome'],
});
