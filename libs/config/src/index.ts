export * from './app-config';
export * from './config.schema';
export * from './env-parsers';
export * from './errors/config-error';
export * from './load-config';
export * from './ingest-sources.schema';
export * from './json-env';
export * from './work-types.schema';
