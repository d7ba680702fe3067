/**
 * A request to the simulator that it refuses before any fault is simulated: bad JSON
 * in `POST /admin/reset`, a body too large, an invalid `date`. Carries the HTTP status
 * to answer. Not retryable: the same request gets the same answer.
 */
export class AdminRequestError extends Error {
  override readonly name = 'AdminRequestError';
  readonly retryable = false;

  /**
   * @param status HTTP status to answer, 4xx
   * @param code machine-readable code of the JSON error body, e.g. `INVALID_BODY`
   * @param message human-readable explanation
   * @param headers extra response headers, e.g. `Allow` on a 405; default none
   */
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
