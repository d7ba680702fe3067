/**
 * An option of the simulator (CLI flag, environment variable or `startSimulator`
 * option) that is invalid. The CLI turns it into exit code 2.
 */
export class SimulatorOptionError extends Error {
  override readonly name = 'SimulatorOptionError';
  readonly retryable = false;

  /**
   * @param message what is wrong
   * @param option the option at fault, e.g. `--port` or `SIMULATOR_SEED`
   */
  constructor(
    message: string,
    readonly option: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
