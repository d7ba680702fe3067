import { ComponentDownResult, ComponentStatus, ComponentUpResult, DownAction, NodeStatus, UpAction } from './stack-component';
import { StackDownResult, StackEndpoints, StackStatusResult, StackUpResult } from './stack-report';

/** `export NAME=value` lines a user can paste into a shell (or `eval "$(npm run -s stack:up | grep ^export)"`). */
export function formatEnvExports(endpoints: StackEndpoints): string {
  return [
    `export KAFKA_BROKERS=${endpoints.kafkaBrokers}`,
    `export SCHEMA_REGISTRY_URL=${endpoints.schemaRegistryUrl}`,
    `export REDIS_URL=${endpoints.redisUrl}`,
  ].join('\n');
}

const UP_ACTION_TEXT: Record<UpAction, string> = {
  started: 'started',
  'already-running': 'already running: no-op',
  external: 'external: not ours, used as is',
};

const DOWN_ACTION_TEXT: Record<DownAction, string> = {
  stopped: 'stopped',
  killed: 'killed (did not stop after SIGTERM)',
  'killed-as-asked': 'killed (SIGKILL, as asked)',
  'not-running': 'not running',
  'left-external': 'external: left running',
  'removed-stale-pid': 'stale pid file removed',
};

function table(rows: readonly string[][]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  return rows.map((row) => `  ${row.map((cell, column) => cell.padEnd(widths[column])).join('  ')}`.trimEnd()).join('\n');
}

function processDetails(component: ComponentStatus): string {
  const details = [
    component.version,
    component.pid !== undefined ? `pid ${component.pid}` : undefined,
    component.runtime,
    component.detail,
  ];
  return details.filter((detail): detail is string => detail !== undefined && detail.length > 0).join(', ');
}

/** One row per broker of a cluster, under the cluster's own row. */
function nodeRows(component: ComponentStatus): string[][] {
  return (component.nodes ?? []).map((node: NodeStatus) => [
    `  broker ${node.index}`,
    node.state,
    node.endpoint,
    [`node.id ${node.nodeId}`, node.pid !== undefined ? `pid ${node.pid}` : undefined, node.detail].filter(Boolean).join(', '),
  ]);
}

function logLines(components: readonly ComponentStatus[]): string[] {
  const rows = components.flatMap((component): string[][] =>
    component.nodes
      ? component.nodes.flatMap((node) => (node.logFile ? [[`${component.name} broker ${node.index}`, node.logFile]] : []))
      : component.logFile
        ? [[component.name, component.logFile]]
        : [],
  );
  return rows.length === 0 ? [] : ['', 'Logs:', table(rows)];
}

function versionLine(components: readonly ComponentStatus[]): string {
  return `Versions: ${components.map((component) => component.version ?? `${component.label} (version unknown)`).join(', ')}`;
}

export function formatUpReport(result: StackUpResult, elapsedMs: number): string {
  return [
    `Stack is up (${result.mode} mode, state in ${result.stackDir}) in ${(elapsedMs / 1000).toFixed(1)} s:`,
    table(
      result.components.flatMap((component: ComponentUpResult) => [
        [component.label, UP_ACTION_TEXT[component.action], component.endpoint, processDetails(component)],
        ...nodeRows(component),
      ]),
    ),
    '',
    versionLine(result.components),
    ...logLines(result.components),
    '',
    'Endpoints:',
    formatEnvExports(result),
  ].join('\n');
}

export function formatStatusReport(result: StackStatusResult): string {
  return [
    `Stack status (${result.mode} mode, state in ${result.stackDir}): ${result.ready ? 'all ready' : 'NOT all ready'}`,
    table(
      result.components.flatMap((component) => [
        [component.label, component.state, component.endpoint, processDetails(component)],
        ...nodeRows(component),
      ]),
    ),
    ...(result.ready ? ['', versionLine(result.components)] : []),
    ...logLines(result.components),
    '',
    'Endpoints:',
    formatEnvExports(result),
  ].join('\n');
}

export function formatDownReport(result: StackDownResult): string {
  return [
    `Stack down (${result.mode} mode):`,
    table(
      result.components.map((component: ComponentDownResult) => [
        component.label,
        DOWN_ACTION_TEXT[component.action],
        [component.pid !== undefined ? `pid ${component.pid}` : undefined, component.detail].filter(Boolean).join(', '),
      ]),
    ),
  ].join('\n');
}
