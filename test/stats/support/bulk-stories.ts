import { ItemStory, type StoryEvent } from '../../../libs/stats-model/src/testing/item-story';
import { seededRandom } from '../../../libs/stats-model/src/testing/seeded-random';

const FAILURE_TYPES = ['API_ERROR', 'TIMEOUT', 'EMPTY_REPORT', 'RATE_LIMIT', 'PROCESSING_ERROR'];

/**
 * `count` items of one batch with the lives the pipeline gives them, in the
 * seed's proportions (mostly first-try successes), and ~10% of events emitted
 * twice as an at-least-once producer would. Deterministic for a seed.
 */
export function bulkStories(batchId: string, count: number, t0: number, seed: number): StoryEvent[] {
  const random = seededRandom(seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
  const events: StoryEvent[] = [];
  for (let i = 0; i < count; i++) {
    const created = t0 + i * 37;
    const at = (ms: number) => created + ms;
    const story = new ItemStory({ itemId: `${batchId}-item-${i}`, key: `${batchId}-p${i % 97}`, batchId, createdAtMs: created }).submit();
    const roll = random();
    if (roll < 0.7) {
      story.succeed(at(300 + Math.floor(random() * 2_000)));
    } else if (roll < 0.85) {
      story.fail(pick(FAILURE_TYPES), at(500)).retry(at(5_500)).succeed(at(6_000 + Math.floor(random() * 1_000)));
    } else if (roll < 0.9) {
      const type = pick(FAILURE_TYPES);
      story.fail(type, at(500)).retry(at(2_500)).fail(type, at(3_000)).retry(at(7_000)).fail(type, at(7_500)).abandon('MAX_ATTEMPTS', at(7_600));
    } else if (roll < 0.95) {
      story.fail('AUTHENTICATION', at(400), { retryable: false }).abandon('NOT_RETRYABLE', at(450));
      if (random() < 0.5) story.replay(`replay-${batchId}`, at(20_000)).succeed(at(20_500));
    } else {
      story.fail('CIRCUIT_OPEN', at(100)).defer(at(1_100));
    }
    for (const event of story.events) {
      events.push(event);
      if (random() < 0.1) events.push({ ...event });
    }
  }
  return events;
}
