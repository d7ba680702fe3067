import { Counter, register } from 'prom-client';

export const SOURCE_EVENTS_METRIC = 'workpipe_ingest_source_events_total';

export type SourceEventOutcome = 'accepted' | 'duplicate' | 'rejected';

/**
 * `workpipe_ingest_source_events_total{topic,outcome}`: source events committed,
 * by source topic and outcome. One per process (the registry is global, and
 * tests start several apps in one process).
 */
export function sourceEventsCounter(): Counter<'topic' | 'outcome'> {
  const existing = register.getSingleMetric(SOURCE_EVENTS_METRIC);
  if (existing) return existing as Counter<'topic' | 'outcome'>;
  return new Counter({
    name: SOURCE_EVENTS_METRIC,
    help: 'Events consumed from source topics and committed, by topic and outcome (accepted, duplicate, rejected)',
    labelNames: ['topic', 'outcome'] as const,
  });
}
