import pino from 'pino';
import { loggerOptions } from './create-logger';
import { censorLogValue, LOG_CENSOR, redactUrl } from './redaction';

const SECRET = 'PLANTEDs3cr3t';

/** Logs `fields` through the shared options and returns the line as parsed JSON. */
function logLine(fields: Record<string, unknown>, bindings: Record<string, unknown> = {}): Record<string, unknown> {
  const lines: string[] = [];
  const logger = pino({ ...loggerOptions({ service: 'test' }), transport: undefined }, { write: (line: string) => void lines.push(line) });
  logger.child(bindings).info(fields, 'line');
  return JSON.parse(lines[0] as string) as Record<string, unknown>;
}

describe('log redaction', () => {
  it('writes URL fields redacted, not censored whole', () => {
    const line = logLine({ webhookUrl: `https://user:${SECRET}@hooks.example.com/a?token=${SECRET}`, req: { url: `/v1/x?apiKey=${SECRET}` } });
    expect(line.webhookUrl).toBe('https://hooks.example.com/a?token=[REDACTED]');
    expect(line.req).toEqual({ url: '/v1/x?apiKey=[REDACTED]' });
  });

  it('redacts the URLs of the configuration', () => {
    const line = logLine({ config: { redis: { url: `redis://:${SECRET}@r:6379` }, schemaRegistry: { url: 'http://sr:8081', password: SECRET } } });
    expect(JSON.stringify(line)).not.toContain(SECRET);
    expect(line.config).toEqual({ redis: { url: 'redis://r:6379' }, schemaRegistry: { url: 'http://sr:8081', password: LOG_CENSOR } });
  });

  it('redacts URL fields of child bindings', () => {
    expect(logLine({}, { url: `https://h/x?sig=${SECRET}` }).url).toBe('https://h/x?sig=[REDACTED]');
  });

  it('redacts the message and stack of a logged error, and an error logged as a string', () => {
    const error = new TypeError(`request to https://h/x?sig=${SECRET} failed`);
    const line = logLine({ err: error });
    expect(JSON.stringify(line)).not.toContain(SECRET);
    expect(line.err).toMatchObject({ type: 'TypeError', message: 'request to https://h/x?sig=[REDACTED] failed' });
    expect(logLine({ err: `Authorization: Bearer ${SECRET}` }).err).toBe('Authorization: Bearer [REDACTED]');
    expect(logLine({ lastError: `Headers.append: "${SECRET}" is an invalid header value.` }).lastError).not.toContain(SECRET);
  });

  it('still censors credentials whole', () => {
    const line = logLine({ password: SECRET, req: { headers: { authorization: `Bearer ${SECRET}`, 'x-api-key': SECRET } } });
    expect(JSON.stringify(line)).not.toContain(SECRET);
    expect(line.password).toBe(LOG_CENSOR);
  });
});

describe('censorLogValue', () => {
  it('censors a non-string URL field whole', () => {
    expect(censorLogValue({ href: SECRET }, ['url'])).toBe(LOG_CENSOR);
    expect(censorLogValue(new URL(`https://h/?a=${SECRET}`), ['webhookUrl'])).toBe('https://h/?a=[REDACTED]');
  });

  it('re-exports the one URL redaction', () => {
    expect(redactUrl(`redis://user:${SECRET}@h:1`)).toBe('redis://h:1');
  });
});
