/**
 * A topic range could not be read to its end: the topic is missing, or the
 * consumer stopped making progress before reaching the last offset. Nothing
 * was republished from the unread part. Exit code 3.
 */
export class TopicReadError extends Error {
  override readonly name = 'TopicReadError';
  readonly retryable = true;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }
}
