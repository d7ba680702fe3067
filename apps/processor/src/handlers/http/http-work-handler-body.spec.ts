import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type OutgoingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpWorkTypeSchema } from '@workpipe/config';
import type { WorkItem } from '@workpipe/contracts';
import { createLogger } from '@workpipe/logging';
import type { HandlerContext } from '../work-handler';
import { HttpWorkHandler } from './http-work-handler';

/** A local downstream answering each report with the bytes set for its path. */
class ReportServer {
  readonly bodies = new Map<string, { headers: OutgoingHttpHeaders; body: Buffer }>();
  private server?: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      const answer = this.bodies.get(request.url ?? '');
      if (!answer) return void response.writeHead(404).end();
      response.writeHead(200, answer.headers).end(answer.body);
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    this.server?.closeAllConnections();
    return new Promise((resolve) => this.server?.close(() => resolve()));
  }
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

function itemFor(itemId: string, portfolioId: string): WorkItem.Value {
  return { itemId, key: portfolioId, type: 'report', payload: { portfolioId }, attempt: 1, createdAt: new Date(0).toISOString(), correlationId: 'c-1', history: [] };
}

const context: HandlerContext = {
  signal: new AbortController().signal,
  logger: createLogger({ service: 'test', level: 'silent' }),
  reportRateLimit: () => undefined,
};

describe('HttpWorkHandler success summary and saveDir', () => {
  const downstream = new ReportServer();
  let saveDir: string;

  beforeAll(() => downstream.start());
  afterAll(() => downstream.stop());
  beforeEach(() => {
    saveDir = join(mkdtempSync(join(tmpdir(), 'http-handler-')), 'reports');
    downstream.bodies.clear();
  });
  afterEach(() => rmSync(join(saveDir, '..'), { recursive: true, force: true }));

  const handlerSaving = (dir: string | undefined) =>
    new HttpWorkHandler(HttpWorkTypeSchema.parse({ handler: 'http', url: `${downstream.url}/portfolios/{portfolioId}/report`, ...(dir ? { saveDir: dir } : {}) }));

  it("gives the sha256 and size of the body's bytes in the summary (multi-byte UTF-8 included)", async () => {
    const body = Buffer.from(JSON.stringify({ rows: [{ city: 'Zürich', note: 'Gewinn € 12 ✓ 📈' }, { city: 'Köln' }] }), 'utf8');
    downstream.bodies.set('/portfolios/PF-1/report', { headers: { 'content-type': 'application/json; charset=utf-8' }, body });
    const { summary } = await handlerSaving(undefined).handle(itemFor('PF-1-2026-11-22', 'PF-1'), context);
    expect(summary).toMatchObject({ status: 200, bytes: body.length, sha256: sha256(body), rows: 2, contentType: 'application/json; charset=utf-8' });
    expect(summary.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(summary).not.toHaveProperty('savedTo');
  });

  it('with saveDir, saves each body as <itemId>.<ext>, byte for byte, the one the sha256 is of', async () => {
    const json = Buffer.from(JSON.stringify({ rows: [{ city: 'Zürich' }] }), 'utf8');
    const csv = Buffer.from('city,profit\nZürich,12\nKöln,7\n', 'utf8');
    downstream.bodies.set('/portfolios/PF-1/report', { headers: { 'content-type': 'application/json' }, body: json });
    downstream.bodies.set('/portfolios/PF-2/report', { headers: { 'content-type': 'text/csv' }, body: csv });
    const handler = handlerSaving(saveDir);

    const first = (await handler.handle(itemFor('PF-1-a', 'PF-1'), context)).summary;
    const second = (await handler.handle(itemFor('PF-2-a', 'PF-2'), context)).summary;

    expect(first.savedTo).toBe(join(saveDir, 'PF-1-a.json'));
    expect(second.savedTo).toBe(join(saveDir, 'PF-2-a.csv'));
    expect(readdirSync(saveDir).sort()).toEqual(['PF-1-a.json', 'PF-2-a.csv']);
    for (const [summary, body] of [[first, json], [second, csv]] as const) {
      const saved = readFileSync(summary.savedTo as string);
      expect(saved.equals(body)).toBe(true);
      expect(summary.sha256).toBe(sha256(saved));
    }
  });

  it('keeps a body that is not UTF-8 (a Latin-1 CSV) byte for byte: the sha256 and the saved file are of the bytes received', async () => {
    const latin1 = Buffer.from('city,profit\nZürich,12\n', 'latin1'); // ü is the single byte 0xFC
    downstream.bodies.set('/portfolios/PF-3/report', { headers: { 'content-type': 'text/csv; charset=iso-8859-1' }, body: latin1 });
    const { summary } = await handlerSaving(saveDir).handle(itemFor('PF-3-a', 'PF-3'), context);
    expect(summary.bytes).toBe(latin1.length);
    expect(summary.sha256).toBe(sha256(latin1));
    expect(readFileSync(summary.savedTo as string).equals(latin1)).toBe(true);
  });
});
