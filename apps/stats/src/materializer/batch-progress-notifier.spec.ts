import { createLogger } from '@workpipe/logging';
import { BatchProgressNotifier } from './batch-progress-notifier';

describe('BatchProgressNotifier', () => {
  const logger = createLogger({ service: 'test', level: 'silent' });
  let now = 0;
  let sent: string[];
  let notifier: BatchProgressNotifier;

  beforeEach(() => {
    jest.useFakeTimers();
    now = 1_000_000;
    sent = [];
    notifier = new BatchProgressNotifier(async (batchId) => sent.push(batchId), 250, logger, () => now);
  });

  afterEach(() => {
    notifier.close();
    jest.useRealTimers();
  });

  function advance(ms: number): void {
    now += ms;
    jest.advanceTimersByTime(ms);
  }

  it('announces a change at once, then at most once per throttle window, the last change included', () => {
    notifier.changed(['b1']);
    expect(sent).toEqual(['b1']);
    for (let i = 0; i < 10; i++) {
      advance(20);
      notifier.changed(['b1']);
    }
    expect(sent).toEqual(['b1']);
    advance(50);
    expect(sent).toEqual(['b1', 'b1']);
    advance(1_000);
    expect(sent).toEqual(['b1', 'b1']);
  });

  it('throttles each batch on its own and ignores items without a batch', () => {
    notifier.changed(['b1', 'b2', '']);
    notifier.changed(['b2']);
    expect(sent).toEqual(['b1', 'b2']);
    advance(250);
    expect(sent).toEqual(['b1', 'b2', 'b2']);
  });

  it('sends nothing after close', () => {
    notifier.changed(['b1']);
    notifier.changed(['b1']);
    notifier.close();
    advance(1_000);
    expect(sent).toEqual(['b1']);
  });
});
