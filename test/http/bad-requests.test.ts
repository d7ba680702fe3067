import { TOPICS, topicName } from '@workpipe/contracts';
import { TestEnv } from '../support/test-env';
import { BAD_REQUESTS, type BadRequest } from './bad-requests.corpus';
import { KEYS, SERVICES, startService, type RunningService } from './support/http-services';
import { send, sendBytes, type RawAnswer } from './support/raw-http';

/** No answer within this long is a hang (the corpus services cut a stalled request at 3 s). */
const ANSWER_TIMEOUT_MS = 10_000;

function ask(service: RunningService, bad: BadRequest): Promise<RawAnswer> {
  const key = bad.key ?? 'all';
  if (bad.raw !== undefined) return sendBytes(service.baseUrl, bad.raw.replace('{key}', key === 'none' ? '' : KEYS[key]), ANSWER_TIMEOUT_MS);
  const headers = { ...(key === 'none' ? {} : { 'x-api-key': KEYS[key] }), ...bad.headers };
  return send(service.baseUrl, { method: bad.method, path: bad.path, headers, body: bad.body }, ANSWER_TIMEOUT_MS);
}

describe('a corpus of bad requests gets 4xx answers that say what is wrong, from every service', () => {
  const env = new TestEnv('http-corpus');
  const running = new Map<string, RunningService>();

  beforeAll(async () => {
    for (const [name, definition] of SERVICES) {
      running.set(name, await startService(env, definition, { HTTP_REQUEST_TIMEOUT_MS: '3000', HTTP_HEADERS_TIMEOUT_MS: '3000' }));
    }
  });

  afterAll(async () => {
    for (const service of [...running.values()].reverse()) await service.app.close();
    await env.cleanup();
  });

  it('has at least 100 requests', () => {
    expect(BAD_REQUESTS.flatMap((bad) => bad.services).length).toBeGreaterThanOrEqual(100);
  });

  it('answers each with its status and a JSON message, none with a 5xx or not at all, and leaves nothing in Kafka', async () => {
    const outcomes: string[] = [];
    const expected: string[] = [];
    for (const bad of BAD_REQUESTS) {
      for (const name of bad.services) {
        const service = running.get(name) as RunningService;
        const label = `${name}: ${bad.name}`;
        expected.push(`${label} -> ${bad.status}${bad.error ? ` ${bad.error}` : ''}${bad.says ? ' (says it)' : ''} with a message`);
        let answer: RawAnswer;
        try {
          answer = await ask(service, bad);
        } catch (error) {
          outcomes.push(`${label} -> no answer: ${(error as Error).message}`);
          continue;
        }
        const message = answer.json?.message;
        const saysIt = bad.says === undefined || (typeof message === 'string' && message.includes(bad.says));
        outcomes.push(
          `${label} -> ${answer.status}${bad.error ? ` ${String(answer.json?.error)}` : ''}${bad.says ? (saysIt ? ' (says it)' : ` (says: ${String(message)})`) : ''}${
            typeof message === 'string' && message.length > 0 ? ' with a message' : ` without a JSON message: ${answer.text.slice(0, 200)}`
          }`,
        );
      }
    }
    expect(outcomes).toEqual(expected);

    // Nothing reached the work topic (nor the rejections topic) from any of them.
    const admin = env.kafka().admin();
    await admin.connect();
    try {
      for (const topic of [TOPICS.work, TOPICS.ingestRejected]) {
        const offsets = await admin.fetchTopicOffsets(topicName(env.topicPrefix, topic));
        expect({ topic, records: offsets.reduce((sum, partition) => sum + Number(partition.high), 0) }).toEqual({ topic, records: 0 });
      }
    } finally {
      await admin.disconnect();
    }
  });
});
