/** A stack setting (environment variable, CLI flag or option) has a value the stack cannot use. */
export class InvalidStackSettingError extends Error {
  override readonly name = 'InvalidStackSettingError';
  readonly retryable = false;

  constructor(
    /** The variable or option, e.g. `KAFKA_VERSION`. */
    readonly setting: string,
    /** The value given. */
    readonly value: string,
    /** What is accepted, e.g. `a Kafka 3.x or 4.x release such as 4.4.0`. */
    readonly expected: string,
  ) {
    super(`${setting} must be ${expected}; got "${value}".`);
  }
}
