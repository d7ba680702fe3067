/** A Maven run (resolving the Kafka jars or fetching Apicurio Registry) failed or Maven is missing. */
export class MavenFailedError extends Error {
  override readonly name = 'MavenFailedError';
  /** A network hiccup while downloading is the usual cause: running the command again may work. */
  readonly retryable = true;

  constructor(
    /** The arguments given to `mvn`. */
    readonly args: readonly string[],
    /** Exit code of `mvn`, or undefined when it could not be started. */
    readonly exitCode: number | undefined,
    /** The last lines Maven printed, or why it could not start. */
    readonly output: string,
  ) {
    super(
      exitCode === undefined
        ? `Could not run Maven (mvn ${args.join(' ')}): ${output}\n` +
          'Install it with `apt-get install maven` (needs Maven 3.6+ and network access to Maven Central).'
        : `mvn ${args.join(' ')} failed with exit code ${exitCode}:\n${output}`,
    );
  }
}
