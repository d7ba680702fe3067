import type { KafkaMessage } from 'kafkajs';
import { chunkMessages } from './message-chunks';

const message = (offset: number, bytes: number): KafkaMessage =>
  ({ key: null, value: Buffer.alloc(bytes), offset: String(offset), timestamp: '0', attributes: 0 }) as KafkaMessage;

const offsets = (chunks: KafkaMessage[][]): string[][] => chunks.map((chunk) => chunk.map((m) => m.offset));

describe('chunkMessages', () => {
  it('keeps the order and splits by message count', () => {
    const messages = [0, 1, 2, 3, 4].map((offset) => message(offset, 1));
    const chunks = chunkMessages(messages, { maxMessages: 2, maxBytes: 1000 });
    expect(offsets(chunks)).toEqual([['0', '1'], ['2', '3'], ['4']]);
  });

  it('splits by bytes, and gives a message larger than the limit a chunk of its own', () => {
    const messages = [message(0, 40), message(1, 40), message(2, 500), message(3, 10)];
    expect(offsets(chunkMessages(messages, { maxMessages: 10, maxBytes: 100 }))).toEqual([['0', '1'], ['2'], ['3']]);
  });

  it('makes no chunk of nothing', () => {
    expect(chunkMessages([])).toEqual([]);
  });
});
