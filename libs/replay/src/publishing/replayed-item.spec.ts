import { WorkItem } from '@workpipe/contracts';
import { replayedItemHeaders, replayedWorkItem } from './replayed-item';
import { ABANDONED_TOPIC, deadLetter } from '../testing/dead-letter-fixtures';

describe('replayedWorkItem', () => {
  const source = deadLetter('PF-0007-2025-03-14', { partition: 2, offset: 41 }, { attempts: 5, deferrals: 3, replayId: 'rp-old' });
  const replayedAt = new Date('2025-03-15T08:00:00Z');
  const item = replayedWorkItem(source, 'rp-new', replayedAt);

  it('is a fresh attempt of the same item: attempt 1, deferrals dropped, same ids, key, payload', () => {
    expect(item.attempt).toBe(1);
    expect(item).not.toHaveProperty('deferrals');
    const { itemId, key, type, batchId, payload, createdAt, correlationId } = source.value.item;
    expect(item).toMatchObject({ itemId, key, type, batchId, payload, createdAt, correlationId });
  });

  it('keeps every earlier attempt in its history, each with its failure, time and source', () => {
    expect(item.history).toEqual(source.value.item.history);
    expect(item.history).toHaveLength(5);
    expect(item.history.map((record) => record.source?.offset)).toEqual(['100', '101', '102', '103', '104']);
  });

  it('links the replay and the dead letter it came from (replacing an earlier replay link)', () => {
    expect(item.replay).toEqual({
      replayId: 'rp-new',
      replayedAt: '2025-03-15T08:00:00.000Z',
      source: { topic: ABANDONED_TOPIC, partition: 2, offset: '41' },
    });
  });

  it('is a valid WorkItem and leaves the dead letter untouched', () => {
    expect(() => WorkItem.Schema.parse(item)).not.toThrow();
    expect(source.value.item.attempt).toBe(5);
    expect(source.value.item.deferrals).toBe(3);
    expect(source.value.item.replay?.replayId).toBe('rp-old');
  });

  it('carries the item headers and the replay id', () => {
    expect(replayedItemHeaders(item)).toEqual({
      'x-item-id': 'PF-0007-2025-03-14',
      'x-batch-id': 'nightly-1',
      'x-attempt': 1,
      'x-correlation-id': 'corr-PF-0007-2025-03-14',
      'x-replay-id': 'rp-new',
    });
  });
});
