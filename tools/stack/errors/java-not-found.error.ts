/** No Java runtime on this machine satisfies a stack component's requirement. Installing one fixes it. */
export class JavaNotFoundError extends Error {
  override readonly name = 'JavaNotFoundError';
  readonly retryable = false;

  constructor(
    /** What needs the runtime, e.g. `Apicurio Registry 3.3.3`. */
    readonly purpose: string,
    /** Lowest acceptable major version, e.g. 21. */
    readonly minMajor: number,
    /** One line per runtime looked at, with its version or why it was rejected. */
    readonly tried: readonly string[],
    /** What to install or set, in one or two sentences. */
    readonly hint: string,
  ) {
    super(
      [
        `${purpose} needs Java ${minMajor} or newer, and none was found.`,
        tried.length > 0 ? `Looked at:\n${tried.map((line) => `  - ${line}`).join('\n')}` : 'No Java runtime was found at all.',
        hint,
      ].join('\n'),
    );
  }
}
