// The function kafkajs' consumer uses to drop records of aborted transactions (read_committed),
// as patched by patches/kafkajs+2.2.4.patch (applied by `npm ci` through patch-package).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const filterAbortedMessages = require('kafkajs/src/consumer/filterAbortedMessages') as (input: {
  messages: FetchedMessage[];
  abortedTransactions?: { producerId: string; firstOffset: string }[];
}) => FetchedMessage[];

interface FetchedMessage {
  offset: string;
  key: Buffer | null;
  isControlRecord?: boolean;
  batchContext: { producerId: string; inTransaction: boolean };
}

const record = (offset: number, producerId: string): FetchedMessage => ({
  offset: String(offset),
  key: Buffer.from(`k${offset}`),
  batchContext: { producerId, inTransaction: true },
});
const marker = (offset: number, producerId: string, type: 'abort' | 'commit'): FetchedMessage => ({
  offset: String(offset),
  key: Buffer.from([0, 0, 0, type === 'abort' ? 0 : 1]),
  isControlRecord: true,
  batchContext: { producerId, inTransaction: true },
});
const dataOffsets = (messages: FetchedMessage[]): string[] => messages.filter((message) => !message.isControlRecord).map((message) => message.offset);

describe('kafkajs read_committed filter of aborted transactions (patched)', () => {
  it('drops every record of aborted transactions listed out of first-offset order (the broker lists them by abort marker)', () => {
    // Producer 1 began at 138 and was aborted last; producer 2 began at 140 and was aborted first;
    // producer 3 committed. Seen in the chaos test: an aborted transaction's outcomes counted as done.
    const messages = [
      record(138, '1'),
      record(139, '1'),
      record(140, '2'),
      record(141, '3'),
      record(142, '2'),
      marker(143, '2', 'abort'),
      record(144, '1'),
      marker(145, '3', 'commit'),
      marker(146, '1', 'abort'),
      record(147, '3'),
    ];
    const kept = filterAbortedMessages({
      messages,
      abortedTransactions: [
        { producerId: '2', firstOffset: '140' },
        { producerId: '1', firstOffset: '138' },
      ],
    });
    expect(dataOffsets(kept)).toEqual(['141', '147']);
  });

  it('takes every aborted transaction that began before a fetch starting in the middle of them', () => {
    const kept = filterAbortedMessages({
      messages: [record(200, '2'), record(201, '1'), record(202, '4'), marker(203, '1', 'abort'), marker(204, '2', 'abort')],
      abortedTransactions: [
        { producerId: '1', firstOffset: '150' },
        { producerId: '2', firstOffset: '160' },
      ],
    });
    expect(dataOffsets(kept)).toEqual(['202']);
  });

  it('keeps a plain record whose key happens to look like an abort marker', () => {
    const lookalike: FetchedMessage = { offset: '11', key: Buffer.from([0, 0, 0, 0]), batchContext: { producerId: '1', inTransaction: true } };
    const kept = filterAbortedMessages({ messages: [record(10, '1'), lookalike, marker(12, '1', 'abort'), record(13, '1')], abortedTransactions: [{ producerId: '1', firstOffset: '10' }] });
    expect(dataOffsets(kept)).toEqual(['13']);
  });

  it('leaves everything when nothing was aborted', () => {
    const messages = [record(1, '1'), marker(2, '1', 'commit')];
    expect(filterAbortedMessages({ messages, abortedTransactions: [] })).toEqual(messages);
  });
});
