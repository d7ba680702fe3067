import { HttpException } from '@nestjs/common';

/**
 * A request refused for what it is (its body, a parameter, its size, its charset): a 4xx whose
 * JSON body says what is wrong. Not retryable: the same request gets the same answer.
 */
export class RequestRejectedError extends HttpException {
  override readonly name = 'RequestRejectedError';
  readonly retryable = false;

  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    details?: unknown,
  ) {
    super({ statusCode, error: code, message, ...(details === undefined ? {} : { details }) }, statusCode);
  }
}
