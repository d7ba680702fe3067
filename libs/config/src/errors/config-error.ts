/** A setting is missing or invalid. Unrecoverable: the service must not start with it. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly retryable = false;

  constructor(readonly issues: readonly ConfigIssue[]) {
    super(
      `Invalid configuration:\n${issues.map((issue) => `  - ${issue.variable}: ${issue.message}`).join('\n')}`,
    );
  }
}

export interface ConfigIssue {
  /** The environment variable at fault, e.g. `KAFKA_BROKERS`. */
  variable: string;
  /** What is wrong and where in the value (`... (at report.url)`); never any part of the value. */
  message: string;
}
