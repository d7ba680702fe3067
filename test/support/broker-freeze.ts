import { ensureStack, freezeBroker, thawBroker } from '../../tools/stack';

/**
 * Freezes every broker of the local stack at once (SIGSTOP: sockets stay open, nothing is
 * answered) and thaws them again; `thaw` is safe to call when nothing is frozen, so a test calls it
 * in `finally` and in `afterAll`.
 */
export class BrokerFreeze {
  private frozen = false;

  private constructor(private readonly brokers: number) {}

  /** For the local stack the suite runs on (started if needed). */
  static async ofLocalStack(): Promise<BrokerFreeze> {
    return new BrokerFreeze((await ensureStack({ mode: 'local' })).kafkaBrokers.split(',').length);
  }

  freeze(): void {
    for (let index = 0; index < this.brokers; index++) freezeBroker(index);
    this.frozen = true;
  }

  thaw(): void {
    if (!this.frozen) return;
    for (let index = 0; index < this.brokers; index++) thawBroker(index);
    this.frozen = false;
  }
}
