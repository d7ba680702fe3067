export type { StatsSettings } from '@workpipe/config';

/** DI token of the stats section of the configuration (`AppConfig['stats']`). */
export const STATS_SETTINGS = Symbol('STATS_SETTINGS');
