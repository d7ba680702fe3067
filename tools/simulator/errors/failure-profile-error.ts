/**
 * A failure profile that cannot be used: unknown preset, unreadable file, invalid
 * JSON or a field outside its schema. Configuration is wrong, so retrying cannot help.
 */
export class FailureProfileError extends Error {
  override readonly name = 'FailureProfileError';
  readonly retryable = false;

  /**
   * @param message what is wrong, naming the field or the source
   * @param source where the profile came from: a preset name, a file path or `inline`
   * @param issues one line per schema issue, `path: message`
   */
  constructor(
    message: string,
    readonly source: string,
    readonly issues: readonly string[] = [],
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
