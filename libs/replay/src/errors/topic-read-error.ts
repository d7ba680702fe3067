/**
 * A topic range could not be read to its end: the reader stopped making
 * progress (no message and no fetch) before reaching the last offset, or its
 * consumer gave up. Nothing past what was read was acted on.
 */
export class TopicReadError extends Error {
  override readonly name = 'TopicReadError';
  readonly retryable = true;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }
}
