export * from './create-logger';
export * from './redaction';
