import { ConfigError } from './errors/config-error';
import { loadConfig } from './load-config';

const SECRET = 'PLANTEDs3cr3t';

function configErrorOf(env: Record<string, string>): ConfigError {
  try {
    loadConfig('processor', env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const http = { handler: 'http', url: `https://user:${SECRET}@h.example.com/r?token=${SECRET}`, headers: { authorization: `Bearer ${SECRET}` } };

describe('configuration errors name the variable and the place, never the value', () => {
  it.each([
    // The closing brace is missing: the error is at the end of the text.
    ['WORK_TYPES', `{"report":${JSON.stringify(http)}`, 'WORK_TYPES: not valid JSON (at position 150)'],
    // A trailing comma: the error is at the brace after it.
    ['RETRY_POLICY', `{"API_ERROR":{"maxAttempts":7,"note":"${SECRET}"},}`, 'RETRY_POLICY: not valid JSON (at position 54)'],
    ['DOWNSTREAMS', `{"d":{"rateLimitPerSecond":'${SECRET}'}}`, 'DOWNSTREAMS: not valid JSON (at position 27)'],
    ['INGEST_SOURCES', `[{"topic":"${SECRET}"}}]`, 'INGEST_SOURCES: not valid JSON (at position 26)'],
  ])('%s with a syntax error', (variable, value, expected) => {
    const error = configErrorOf({ [variable]: value });
    expect(error.issues).toEqual([{ variable, message: expected.slice(variable.length + 2) }]);
    expect(error.message).toContain(expected);
    expect(error.message).not.toContain(SECRET);
  });

  it.each([
    ['WORK_TYPES', JSON.stringify({ report: { ...http, timeoutMs: SECRET } }), 'Invalid input: expected number, received string (at report.timeoutMs)'],
    ['WORK_TYPES', JSON.stringify({ report: { ...http, handler: SECRET } }), "Invalid discriminator value. Expected 'http' (at report.handler)"],
    ['WORK_TYPES', JSON.stringify({ report: { ...http, headerz: { a: SECRET } } }), 'unknown field headerz (at report)'],
    ['WORK_TYPES', JSON.stringify({ ok: http, [SECRET]: http }), 'Invalid key in record (at [key 2])'],
    ['WORK_TYPES', JSON.stringify([SECRET]), 'Invalid input: expected record, received array'],
    ['RETRY_POLICY', JSON.stringify({ API_ERROR: { maxAttempts: SECRET } }), 'must be a positive integer (at API_ERROR.maxAttempts)'],
    ['RETRY_POLICY', JSON.stringify({ API_ERROR: { maxAttempt: 3, [`x ${SECRET}`]: 1 } }), 'unknown fields maxAttempt, [key] (at API_ERROR)'],
    ['DOWNSTREAMS', JSON.stringify({ d: { rateLimitPerSecond: SECRET } }), 'Invalid input: expected number, received string (at d.rateLimitPerSecond)'],
    ['INGEST_SOURCES', JSON.stringify([{ topic: 't', type: 'a', mapping: { key: `a..${SECRET}` } }]), 'must be "$" or a dot path such as "customer.id" (at [0].mapping.key)'],
  ])('%s with a bad field: %s', (variable, value, message) => {
    const error = configErrorOf({ [variable]: value });
    expect(error.issues).toContainEqual({ variable, message });
    expect(error.message).not.toContain(SECRET);
  });

  it('withholds a message that would quote the value', () => {
    const error = configErrorOf({ KAFKA_SASL_MECHANISM: SECRET, LOG_LEVEL: SECRET, HTTP_PORT: SECRET, DELAY_TIERS: SECRET });
    expect(error.issues.map((issue) => issue.variable).sort()).toEqual(['DELAY_TIERS', 'DELAY_TIERS', 'HTTP_PORT', 'KAFKA_SASL_MECHANISM', 'LOG_LEVEL']);
    expect(error.message).not.toContain(SECRET);
  });

  it('never echoes a URL with credentials', () => {
    const error = configErrorOf({ ALERT_WEBHOOK_URL: `ftp://u:${SECRET}@h/?t=${SECRET}`, REDIS_URL: `http://u:${SECRET}@r` });
    expect(error.message).not.toContain(SECRET);
    expect(error.message).toContain('ALERT_WEBHOOK_URL: must be an http(s) URL');
  });
});
