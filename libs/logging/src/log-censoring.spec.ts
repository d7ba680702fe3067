import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import pinoHttp from 'pino-http';
import { loadConfig } from '@workpipe/config';
import { loggerOptions } from './create-logger';
import { LOG_CENSOR } from './redaction';

const SECRET = 'PLANTEDs3cr3t';

/** A destination keeping every line (pino writes one JSON line per call), and a wait for the next one. */
function memoryStream(): { write: (line: string) => void; lines: Record<string, any>[]; next: () => Promise<Record<string, any>> } {
  const lines: Record<string, any>[] = [];
  const waiting: ((line: Record<string, any>) => void)[] = [];
  return {
    lines,
    write: (line: string) => {
      const parsed = JSON.parse(line) as Record<string, any>;
      lines.push(parsed);
      waiting.shift()?.(parsed);
    },
    next: () => new Promise((resolve) => waiting.push(resolve)),
  };
}

// Settings as a service reads them: SASL over TLS, a registry with basic auth.
const config = loadConfig('ingestor', {
  KAFKA_SSL: 'true',
  KAFKA_SASL_MECHANISM: 'scram-sha-512',
  KAFKA_SASL_USERNAME: `user-${SECRET}`,
  KAFKA_SASL_PASSWORD: `pw-${SECRET}`,
  SCHEMA_REGISTRY_PASSWORD: `registry-${SECRET}`,
});
/** The options every service's loggers are built from (`createLogger`, and nestjs-pino's HTTP logger in RuntimeModule). */
const options = loggerOptions({ service: config.service, level: config.log.level, pretty: config.log.pretty });

describe('log lines censor the SASL settings and cookie headers', () => {
  it('censors the SASL settings (mechanism, username, password) of a logged configuration', () => {
    const out = memoryStream();
    pino(options, out).info({ config }, 'configuration');
    const [line] = out.lines;
    expect(config.kafka.sasl?.password).toBe(`pw-${SECRET}`); // it was there to leak
    expect(JSON.stringify(line)).not.toContain(SECRET);
    expect(line?.config.kafka.sasl).toBe(LOG_CENSOR);
    expect(line?.config.schemaRegistry.password).toBe(LOG_CENSOR);
    expect(line?.config.kafka).toMatchObject({ brokers: ['127.0.0.1:9092'], ssl: true }); // the rest still says where
  });

  describe('an HTTP request logged by the services HTTP logger (pino-http)', () => {
    const out = memoryStream();
    const httpLogger = pinoHttp({ ...options }, out);
    let server: Server;
    let port: number;

    beforeAll(async () => {
      server = createServer((req, res) => {
        httpLogger(req, res);
        res.setHeader('set-cookie', `session=${SECRET}; HttpOnly`);
        res.end('{}');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('censors its cookie header, and the set-cookie header of its response', async () => {
      const logged = out.next();
      await new Promise<void>((resolve, reject) => {
        request({ host: '127.0.0.1', port, path: '/v1/stats', headers: { cookie: `session=${SECRET}; theme=dark`, 'x-trace': 'kept' } }, (res) => {
          res.resume().on('end', resolve);
        })
          .on('error', reject)
          .end();
      });
      const line = await logged;
      expect(line.msg).toBe('request completed');
      expect(JSON.stringify(line)).not.toContain(SECRET);
      expect(line.req.headers.cookie).toBe(LOG_CENSOR);
      expect(line.req.headers['x-trace']).toBe('kept'); // only the secret headers go
      expect(line.res.headers['set-cookie']).toBe(LOG_CENSOR);
    });
  });
});
