import { topicCreationFailures } from './topic-creation-failure';

const protocolError = (type: string, retriable: boolean, topic?: string) => ({ type, retriable, topic, name: 'KafkaJSCreateTopicError' });

describe('topicCreationFailures', () => {
  it('treats topics created by someone else as success', () => {
    const error = { name: 'KafkaJSAggregateError', errors: [protocolError('TOPIC_ALREADY_EXISTS', false, 'a')] };
    expect(topicCreationFailures(error, ['a'])).toEqual([]);
  });

  it('keeps only the topics that failed, each with its own verdict', () => {
    const error = {
      errors: [
        protocolError('TOPIC_ALREADY_EXISTS', false, 'a'),
        protocolError('REQUEST_TIMED_OUT', true, 'b'),
        protocolError('INVALID_REPLICATION_FACTOR', false, 'c'),
      ],
    };
    expect(topicCreationFailures(error, ['a', 'b', 'c'])).toEqual([
      { topic: 'b', type: 'REQUEST_TIMED_OUT', retryable: true },
      {
        topic: 'c',
        type: 'INVALID_REPLICATION_FACTOR',
        retryable: false,
        setting: expect.stringContaining('TOPIC_REPLICATION_FACTOR'),
      },
    ]);
  });

  it('applies a request-wide error to every requested topic', () => {
    const error = { type: 'NOT_CONTROLLER', retriable: true, message: 'not the controller' };
    expect(topicCreationFailures(error, ['a', 'b']).map((f) => [f.topic, f.retryable])).toEqual([
      ['a', true],
      ['b', true],
    ]);
  });

  it('names the setting for refusals retrying cannot change', () => {
    const [partitions] = topicCreationFailures(protocolError('INVALID_PARTITIONS', false, 'a'), ['a']);
    expect(partitions).toMatchObject({ retryable: false, setting: 'TOPIC_PARTITIONS' });
    const [rights] = topicCreationFailures(protocolError('TOPIC_AUTHORIZATION_FAILED', false, 'a'), ['a']);
    expect(rights).toMatchObject({ retryable: false, setting: expect.stringContaining('KAFKA_SASL_USERNAME') });
  });

  it('retries a connection error but not what kafkajs marks as never passing', () => {
    expect(topicCreationFailures({ name: 'KafkaJSConnectionError', retriable: true }, ['a'])[0]!.retryable).toBe(true);
    expect(topicCreationFailures({ name: 'KafkaJSNonRetriableError', retriable: false }, ['a'])[0]!.retryable).toBe(false);
  });
});
