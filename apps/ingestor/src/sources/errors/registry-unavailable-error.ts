/**
 * A registry-encoded source message could not be decoded because the Schema
 * Registry did not answer (network error or 5xx), not because the message is
 * bad. Retryable: the batch is not committed and kafkajs delivers it again.
 */
export class RegistryUnavailableError extends Error {
  override readonly name = 'RegistryUnavailableError';
  readonly retryable = true;

  constructor(message: string, cause?: unknown) {
    super(message, { cause });
  }
}
