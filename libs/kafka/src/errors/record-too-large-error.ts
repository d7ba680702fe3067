/**
 * A record larger than its topic accepts (`max.message.bytes`): sending it
 * would fail on every try, so it is refused before anything is sent. Never
 * retryable: the event has to become smaller.
 */
export class RecordTooLargeError extends Error {
  override readonly name = 'RecordTooLargeError';
  readonly retryable = false;

  constructor(
    readonly topic: string,
    /** Size of the record in a batch, in bytes. */
    readonly bytes: number,
    /** What the topic accepts per record batch, in bytes. */
    readonly limitBytes: number,
    /** Index of the event in the call that encoded it. */
    readonly index: number,
  ) {
    super(`the event is too large for ${topic}: ${bytes} bytes, over the limit of ${limitBytes} bytes (max.message.bytes)`);
  }
}
