/**
 * The settings of an `http` work type cannot work (a URL template with a placeholder in its
 * host, credentials in the URL, an invalid header name...): the processor must not start with
 * them. Unrecoverable. The message names the setting, never its value, which may hold secrets.
 */
export class InvalidHttpWorkTypeError extends Error {
  override readonly name = 'InvalidHttpWorkTypeError';
  readonly retryable = false;

  /**
   * @param workType the work type, when known, e.g. `report`
   * @param problem what is wrong, e.g. `url: the URL template must not hold credentials`
   */
  constructor(workType: string | undefined, problem: string) {
    super(`WORK_TYPES: ${workType === undefined ? 'an http work type' : `work type "${workType}"`}: ${problem}`);
  }
}
