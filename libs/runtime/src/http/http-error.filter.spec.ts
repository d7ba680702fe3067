import { BadRequestException, ServiceUnavailableException, type ArgumentsHost } from '@nestjs/common';
import type { Logger } from '@workpipe/logging';
import { HttpErrorFilter } from './http-error.filter';

interface Answer {
  status?: number;
  body?: Record<string, unknown>;
  headers: Record<string, string>;
}

function answerTo(exception: unknown): Answer {
  const answer: Answer = { headers: {} };
  const response = {
    headersSent: false,
    setHeader: (name: string, value: string) => (answer.headers[name] = value),
    status(code: number) {
      answer.status = code;
      return this;
    },
    json: (body: Record<string, unknown>) => (answer.body = body),
  };
  const host = { switchToHttp: () => ({ getResponse: () => response }) } as unknown as ArgumentsHost;
  const logger = { warn: () => undefined, error: () => undefined } as unknown as Logger;
  new HttpErrorFilter(logger).catch(exception, host);
  return answer;
}

describe('HttpErrorFilter', () => {
  it('keeps the state of every health indicator when readiness fails', () => {
    const report = {
      status: 'error',
      info: { kafka: { status: 'up' } },
      error: { consumers: { status: 'down', 'work.items': { state: 'recovering' } } },
      details: { kafka: { status: 'up' }, consumers: { status: 'down', 'work.items': { state: 'recovering' } } },
    };
    const answer = answerTo(new ServiceUnavailableException(report));
    expect(answer.status).toBe(503);
    expect(answer.headers['Retry-After']).toBe('5');
    expect(answer.body).toEqual({
      statusCode: 503,
      error: 'UNHEALTHY',
      message: 'not ready: consumers',
      details: report.details,
      info: report.info,
    });
  });

  it('answers a refusal in the one error shape', () => {
    const answer = answerTo(new BadRequestException({ error: 'INVALID_BODY', message: 'items must be an array' }));
    expect(answer).toMatchObject({ status: 400, body: { statusCode: 400, error: 'INVALID_BODY', message: 'items must be an array' } });
  });

  it('never shows an unknown error to the client', () => {
    const answer = answerTo(new Error('password=hunter2 at db'));
    expect(answer.body).toEqual({ statusCode: 500, error: 'INTERNAL', message: 'internal error; see the service log' });
  });
});
