/** A refusal or failure of the API, as its JSON error body says it ({ statusCode, error, message }). */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    /** HTTP status; 0 when the service could not be reached. */
    readonly status: number,
    /** The API's error code, e.g. `API_KEY_MISSING`, `ROLE_MISSING`, `BATCH_NOT_FOUND`. */
    readonly code: string,
    message: string,
  ) {
    super(message);
  }

  /** The key is missing or not one of API_KEYS. */
  get unauthenticated(): boolean {
    return this.status === 401;
  }

  /** The key lacks the role (an operate call with a read key). */
  get forbidden(): boolean {
    return this.status === 403;
  }

  static async of(response: Response): Promise<ApiError> {
    let code = response.statusText || 'ERROR';
    let message = `${response.status} ${response.statusText}`;
    try {
      const body = (await response.json()) as { error?: unknown; message?: unknown };
      if (typeof body.error === 'string') code = body.error;
      if (typeof body.message === 'string') message = body.message;
      else if (Array.isArray(body.message)) message = body.message.join('; ');
    } catch {
      // Not JSON: the status says it all.
    }
    return new ApiError(response.status, code, message);
  }
}

/** What to tell a person about an error. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 0) return `The service could not be reached: ${error.message}`;
    if (error.unauthenticated) return `This service needs an API key with the read role (${error.code}): enter one above.`;
    if (error.forbidden) return `This key may not do that (${error.code}): ${error.message}`;
    return `${error.status} ${error.code}: ${error.message}`;
  }
  return error instanceof Error ? error.message : String(error);
}
