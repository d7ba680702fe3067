/**
 * The partition's transactional id was claimed by another producer (a new
 * owner after a rebalance, or a zombie of ours): this one may not commit for
 * that partition again. Retrying with it cannot pass; the worker rejoins the
 * group to learn who owns what.
 */
export class ProducerFencedError extends Error {
  override readonly name = 'ProducerFencedError';
  readonly retryable = false;

  constructor(message: string, cause?: unknown) {
    super(message, { cause });
  }
}
