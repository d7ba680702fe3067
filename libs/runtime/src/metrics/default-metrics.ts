import { collectDefaultMetrics, register } from 'prom-client';

let started = false;

/** Process metrics (CPU, memory, event-loop lag), labelled with the service; once per process. */
export function startDefaultMetrics(service: string): void {
  if (started) return;
  started = true;
  register.setDefaultLabels({ service });
  collectDefaultMetrics();
}
