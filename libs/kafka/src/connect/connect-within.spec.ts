import { createLogger } from '@workpipe/logging';
import { connectWithin } from './connect-within';

const logger = createLogger({ service: 'connect-within-spec', level: 'silent' });
const refused = (): Error => Object.assign(new Error('Connection error: connect ECONNREFUSED 127.0.0.1:9092'), { name: 'KafkaJSNumberOfRetriesExceeded' });

describe('connectWithin', () => {
  it('tries again while Kafka is unreachable, and returns once it answers', async () => {
    let calls = 0;
    await connectWithin(
      async () => {
        calls++;
        if (calls < 3) throw refused();
      },
      { what: 'test', timeoutMs: 5_000, intervalMs: 5, logger },
    );
    expect(calls).toBe(3);
  });

  it('throws the last error once the timeout has passed', async () => {
    let calls = 0;
    await expect(
      connectWithin(
        async () => {
          calls++;
          throw refused();
        },
        { what: 'test', timeoutMs: 60, intervalMs: 10, logger },
      ),
    ).rejects.toThrow('ECONNREFUSED');
    expect(calls).toBeGreaterThan(1);
  });

  it('fails at once when the broker refuses the credentials', async () => {
    let calls = 0;
    const denied = Object.assign(new Error('SASL PLAIN authentication failed'), { name: 'KafkaJSSASLAuthenticationError' });
    await expect(
      connectWithin(
        async () => {
          calls++;
          throw Object.assign(new Error('wrapped'), { name: 'KafkaJSNonRetriableError', cause: denied });
        },
        { what: 'test', timeoutMs: 5_000, intervalMs: 5, logger },
      ),
    ).rejects.toThrow('wrapped');
    expect(calls).toBe(1);
  });
});
