/**
 * Topics could not be created or are not usable. `retryable` is false when
 * retrying cannot help (a setting the cluster cannot meet, missing rights):
 * the service must stop and say which topic and which setting.
 */
export class TopicProvisioningError extends Error {
  override readonly name = 'TopicProvisioningError';

  constructor(
    message: string,
    readonly retryable: boolean,
    cause?: unknown,
  ) {
    super(message, { cause });
  }
}
