import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Download, Page } from 'playwright-core';
import request from 'supertest';
import { OperationsApi } from '@workpipe/contracts';
import { AlertsAnswerSchema, type RuleAlert } from '@workpipe/stats-model';
import { waitFor } from '../support/wait-for';
import { ConsoleBrowser } from './support/console-browser';
import { ConsoleScenario, FINISHED, KEYS, LIVE } from './support/console-scenario';
import { countTable, showView, shown, statValue, statValues, tableRows } from './support/page-reading';

/** The README's screenshots are refreshed on request (npm run docs:screenshots); a plain run leaves the tree alone. */
const IMAGES = process.env.UPDATE_SCREENSHOTS === '1' ? join(__dirname, '..', '..', 'docs', 'images') : join(tmpdir(), 'workpipe-console-screenshots');
const DATE = '2026-11-20';
const itemOf = (portfolioId: string): string => `${portfolioId}-${DATE}`;

/** The text of a file the page saved. */
function readDownload(file: Download): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    void file.createReadStream().then((stream) => {
      let text = '';
      stream.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      stream.on('end', () => resolve(text));
      stream.on('error', reject);
    });
  });
}

/**
 * What Chromium may log without anything being wrong: the API's refusals the page expects and
 * shows (401 before a key is typed or with a key that is not valid, 404 for a batch not seen yet).
 */
const EXPECTED_LOGS = /Failed to load resource: the server responded with a status of (401|404)/;

interface Answer {
  items: { submitted: number; pending: number; succeeded: number; abandoned: number };
  succeeded: { byAttempt: Record<string, number>; byReplay: number };
  failures: { attempts: number; retryable: number; attemptsByType: Record<string, number>; itemsByType: Record<string, number> };
  abandoned: { byType: Record<string, number>; byReason: Record<string, number> };
  retries: { scheduled: number };
  rates: { success: number | null; firstPassSuccess: number | null; recovery: number | null };
  timeToSuccessMs: { count: number; p50: number | null; p95: number | null; p99: number | null };
}

/**
 * The web console in headless Chromium against the whole pipeline on the real stack, read as a
 * person reads it: a finished batch shows the API's numbers, a live batch moves without a reload,
 * and a replay started from the page (dry run, trial, continue) recovers its items and says so.
 * The tests run in order and build on each other.
 */
describe('web console', () => {
  const scenario = new ConsoleScenario();
  let browser: ConsoleBrowser;

  /** A tab on /console with `key` typed into the page (never into the URL). */
  async function openConsole(key: string, view = ''): Promise<Page> {
    const page = await browser.page();
    await page.goto(`${scenario.statsUrl}/console`);
    await page.getByLabel('API key').fill(key);
    await page.getByRole('button', { name: 'Use key' }).click();
    await page.getByText(`API key set (…${key.slice(-4)})`).waitFor();
    // What the service says the key may do (GET /v1/me), once it has answered.
    await page.locator('.key-roles').waitFor();
    if (view) await showView(page, view);
    expect(page.url()).not.toContain(key);
    return page;
  }

  /** What the batch page must show for an answer of `GET /v1/batches/:id`. */
  function batchPageOf(answer: Answer) {
    return {
      items: {
        Submitted: shown.count(answer.items.submitted),
        Pending: shown.count(answer.items.pending),
        Succeeded: shown.count(answer.items.succeeded),
        Abandoned: shown.count(answer.items.abandoned),
        'Waiting for a retry': shown.count(answer.failures.retryable),
        'Success rate': shown.rate(answer.rates.success),
        'First-pass success rate': shown.rate(answer.rates.firstPassSuccess),
        'Recovery rate': shown.rate(answer.rates.recovery),
        'Failed attempts': shown.count(answer.failures.attempts),
        'Retries scheduled': shown.count(answer.retries.scheduled),
      },
      timeToSuccess: {
        p50: shown.ms(answer.timeToSuccessMs.p50),
        p95: shown.ms(answer.timeToSuccessMs.p95),
        p99: shown.ms(answer.timeToSuccessMs.p99),
        'Successes measured': shown.count(answer.timeToSuccessMs.count),
      },
      byAttempt: Object.fromEntries(Object.entries(answer.succeeded.byAttempt).map(([attempt, n]) => [attempt, shown.count(n)])),
      byType: Object.keys({ ...answer.failures.attemptsByType, ...answer.failures.itemsByType, ...answer.abandoned.byType })
        .sort()
        .map((type) => [type, shown.count(answer.failures.attemptsByType[type] ?? 0), shown.count(answer.failures.itemsByType[type] ?? 0), shown.count(answer.abandoned.byType[type] ?? 0)]),
      byReason: Object.fromEntries(Object.entries(answer.abandoned.byReason).map(([reason, n]) => [reason, shown.count(n)])),
      progress: `${shown.count(answer.items.succeeded + answer.items.abandoned)} of ${shown.count(answer.items.submitted)} finished`,
    };
  }

  /** What the batch page shows, read the same way. */
  async function readBatchPage(page: Page) {
    return {
      items: await statValues(page, 'Items'),
      timeToSuccess: await statValues(page, 'Time to success percentiles'),
      byAttempt: await countTable(page, 'Succeeded by attempt number'),
      byType: (await tableRows(page, 'Failures by type')).filter((row) => row.length === 4).sort((a, b) => (a[0] as string).localeCompare(b[0] as string)),
      byReason: await countTable(page, 'Abandoned by reason'),
      progress: ((await page.locator('.progress-text').innerText()).match(/^[\d,]+ of [\d,]+ finished/) ?? [''])[0],
    };
  }

  beforeAll(async () => {
    mkdirSync(IMAGES, { recursive: true });
    await scenario.start();
    browser = await new ConsoleBrowser(scenario.statsUrl).start();
    await scenario.submit(FINISHED.batchId, FINISHED.all);
    await scenario.finished(FINISHED.batchId, FINISHED.all.length);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await scenario.stop();
  });

  it('is served at /console, without a key, under a same-origin-only Content-Security-Policy', async () => {
    const server = scenario.stats.getHttpServer();
    const page = await request(server).get('/console').expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const csp = page.headers['content-security-policy'] as string;
    for (const directive of ["default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'", "frame-ancestors 'none'"]) expect(csp).toContain(directive);
    expect(csp).not.toMatch(/unsafe-|https:|data:/);
    const script = /src="(\/console\/assets\/[^"]+\.js)"/.exec(page.text)?.[1] as string;
    const asset = await request(server).get(script).expect(200);
    expect(asset.headers['cache-control']).toContain('immutable');
    await request(server).get('/console/no-such-file.js').expect(404);
    // The data is not: the page's calls need the key.
    await request(server).get('/v1/stats').expect(401);
  });

  it('shows a finished batch with the same numbers as GET /v1/batches/:id', async () => {
    const answer = await scenario.read<Answer>(`/v1/batches/${FINISHED.batchId}`);
    // The scenario's story, so the comparison below is not between two empty pages.
    expect(answer.items).toEqual({ submitted: 40, pending: 0, succeeded: 32, abandoned: 8 });
    expect(answer.succeeded.byAttempt).toEqual({ '1': 26, '2': 4, '3': 2 });

    const page = await openConsole(KEYS.reader);
    await page.getByRole('link', { name: 'Batches', exact: true }).click();
    await page.getByRole('link', { name: FINISHED.batchId }).click();
    await page.getByText('40 of 40 finished').waitFor();
    await page.locator('.badge', { hasText: 'Complete' }).waitFor();
    await page.locator('caption', { hasText: 'Succeeded by attempt number' }).waitFor();
    const expected = batchPageOf(answer);
    expect(await readBatchPage(page)).toEqual(expected);
    expect(expected.byReason).toEqual({ MAX_ATTEMPTS: '7', NOT_RETRYABLE: '1' });
    await page.screenshot({ path: join(IMAGES, 'console-batch.png'), fullPage: true });
    await page.close();
  });

  it("follows a live batch: its progress moves without a reload, then it is complete with the API's numbers", async () => {
    // Every call now takes about 1.5 s: with 8 at a time, 40 items take a few seconds to finish.
    scenario.simulator.reset({ profile: { extends: 'healthy', latencyMs: [1_200, 1_800] } });
    const page = await openConsole(KEYS.reader);
    const document = await page.evaluate(() => performance.timeOrigin);
    await scenario.submit(LIVE.batchId, LIVE.all);
    await showView(page, `#/batches/${LIVE.batchId}`);
    const seen = new Set<string>();
    await waitFor(
      async () => {
        const text = await page.locator('.progress-text').innerText({ timeout: 1_000 }).catch(() => '');
        const done = /^([\d,]+) of 40 finished/.exec(text)?.[1];
        if (done !== undefined) seen.add(done);
        return done === '40';
      },
      { timeoutMs: 90_000, intervalMs: 100, description: 'the live batch to reach 40 of 40 on the page' },
    );
    // Several steps on the way, each one arriving by itself: the document is still the first one.
    const steps = [...seen].map((n) => Number(n.replace(/,/g, '')));
    expect(steps.filter((n) => n > 0 && n < 40).length).toBeGreaterThanOrEqual(2);
    expect(await page.evaluate(() => performance.timeOrigin)).toBe(document);
    await page.locator('.badge', { hasText: 'Complete' }).waitFor();
    const answer = await scenario.finished(LIVE.batchId, LIVE.all.length);
    await waitFor(async () => (await statValue(page, 'Items', 'Succeeded').innerText()) === '40', { timeoutMs: 10_000 });
    expect(await readBatchPage(page)).toEqual(batchPageOf(answer as unknown as Answer));
    await page.close();
    scenario.simulator.reset({ profile: { extends: 'healthy', latencyMs: [5, 20] } });
  });

  it('filters failures by type and reason, exports them as CSV, and shows one item', async () => {
    const page = await openConsole(KEYS.reader, '#/failures');
    await page.getByLabel('Type', { exact: true }).selectOption('AUTHENTICATION');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.locator('caption', { hasText: '1–1 of 1 failure,' }).waitFor();
    expect((await tableRows(page, /oldest first failure first/)).map((row) => row.slice(0, 5))).toEqual([
      [itemOf('PF-0007'), FINISHED.batchId, 'Abandoned', 'AUTHENTICATION', 'MAX_ATTEMPTS'],
    ]);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('failures.csv');
    const csv = await readDownload(file);
    expect(csv).toBe(await scenario.readText('/v1/failures.csv?type=AUTHENTICATION'));
    expect(csv).toContain(itemOf('PF-0007'));

    await page.getByRole('button', { name: 'Clear' }).click();
    await page.getByLabel('Reason', { exact: true }).selectOption('MAX_ATTEMPTS');
    await page.getByRole('button', { name: 'Filter' }).click();
    // The 6 API_ERROR items and the AUTHENTICATION one: the 7 of the reason, counted by the API (not the ones a page happened to hold).
    const maxAttempts = await scenario.read<{ total: number; items: { itemId: string }[] }>('/v1/failures?reason=MAX_ATTEMPTS');
    expect(maxAttempts.total).toBe(7);
    await page.locator('caption', { hasText: '1–7 of 7 failures,' }).waitFor();
    expect((await tableRows(page, /oldest first failure first/)).map((row) => [row[0], row[4]])).toEqual(maxAttempts.items.map((item) => [item.itemId, 'MAX_ATTEMPTS']));

    await page.getByLabel('Reason', { exact: true }).selectOption('NOT_RETRYABLE');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.locator('caption', { hasText: '1–1 of 1 failure,' }).waitFor();
    expect((await tableRows(page, /oldest first failure first/)).map((row) => [row[0], row[3], row[4]])).toEqual([[itemOf('PF-0008'), 'VALIDATION', 'NOT_RETRYABLE']]);
    // The export has the reason's rows only, as the API's CSV with the same filter.
    const byReason = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV' }).click();
    const reasonCsv = await readDownload(await byReason);
    expect(reasonCsv).toBe(await scenario.readText('/v1/failures.csv?reason=NOT_RETRYABLE'));
    expect(reasonCsv.trim().split('\n').slice(1).map((line) => line.split(',')[0])).toEqual([itemOf('PF-0008')]);

    await page.getByRole('link', { name: itemOf('PF-0008') }).click();
    await page.locator('.badge', { hasText: 'Abandoned' }).waitFor();
    expect((await tableRows(page, 'Failed attempts')).map((row) => [row[0], row[1], row[3]])).toEqual([['1', 'original', 'VALIDATION']]);
    expect((await tableRows(page, 'Dead letters')).map((row) => [row[2], row[3], row[5]])).toEqual([['NOT_RETRYABLE', 'VALIDATION', 'no']]);
    await page.close();
  });

  it('replays from the page: the dry-run count, a trial, continue; the items recover and the page shows it', async () => {
    const page = await openConsole(KEYS.operator, `#/batches/${FINISHED.batchId}`);
    expect(await page.locator('.key-roles').innerText()).toBe('Roles: read and operate');
    await page.getByRole('link', { name: 'Replay its dead letters' }).click();
    await expect(page.getByLabel('Batch ids').inputValue()).resolves.toBe(FINISHED.batchId);
    await page.locator('fieldset', { has: page.locator('legend', { hasText: 'Failure types' }) }).getByLabel('API_ERROR', { exact: true }).check();
    await expect(page.getByRole('button', { name: /^Start replay/ }).isDisabled()).resolves.toBe(true);
    await page.getByRole('button', { name: 'Dry run' }).click();
    await statValue(page, 'Dry run counts', 'Would replay').filter({ hasText: '6' }).waitFor();
    expect((await tableRows(page, /would be replayed/)).map((row) => row[0]).sort()).toEqual(FINISHED.apiErrors.map(itemOf));

    await page.getByLabel('Trial size').fill('2');
    await page.getByRole('button', { name: 'Start replay with a trial of 2' }).click();
    await page.waitForURL(/#\/replays\/rp-/);
    const replayId = decodeURIComponent(/#\/replays\/([^?]+)/.exec(page.url())?.[1] as string);
    await page.locator('.badge', { hasText: 'Trial done' }).waitFor({ timeout: 60_000 });
    await statValue(page, 'Outcome', 'Recovered').filter({ hasText: /^2$/ }).waitFor({ timeout: 60_000 });
    expect(await statValue(page, 'Counts', 'Left for continue').innerText()).toBe('4');

    await page.getByRole('button', { name: 'Continue: replay the remaining 4' }).click();
    await page.locator('.badge', { hasText: 'Complete' }).waitFor({ timeout: 60_000 });
    await statValue(page, 'Outcome', 'Recovered').filter({ hasText: /^6$/ }).waitFor({ timeout: 60_000 });
    expect(await statValues(page, 'Outcome')).toEqual({ Republished: '6', Recovered: '6', 'Failed again': '0', 'Still pending': '0' });
    expect(await page.locator('.progress-text').innerText()).toBe('6 of 6 dead letters settled (100.0%)');
    const view = await scenario.read<OperationsApi.ReplayView>(`/v1/replays/${replayId}`);
    expect(view).toMatchObject({ state: 'complete', runs: 2, outcome: { published: 6, recovered: 6, failedAgain: 0, pending: 0 } });
    expect(view.requests.map((entry) => `${entry.action}:${entry.outcome.status}`)).toEqual(['create:accepted', 'run-ended:trial', 'continue:accepted', 'run-ended:complete']);

    // One of them, whole: five failed attempts, its dead letter (replayed), the replay that recovered it.
    await page.getByRole('link', { name: 'Failures', exact: true }).click();
    await page.getByLabel('Item id').fill(itemOf('PF-0001'));
    await page.getByRole('button', { name: 'Open history' }).click();
    await page.locator('.badge', { hasText: 'Succeeded' }).waitFor();
    expect((await tableRows(page, 'Failed attempts')).map((row) => [row[0], row[3]])).toEqual([1, 2, 3, 4, 5].map((n) => [String(n), 'API_ERROR']));
    expect((await tableRows(page, 'Dead letters')).map((row) => [row[2], row[5]])).toEqual([['MAX_ATTEMPTS', 'yes']]);
    expect((await tableRows(page, 'Replays')).map((row) => [row[0], row[3]])).toEqual([[replayId, 'recovered']]);

    // The batch now has the six back.
    await showView(page, `#/batches/${FINISHED.batchId}`);
    await statValue(page, 'Items', 'Abandoned').filter({ hasText: /^2$/ }).waitFor({ timeout: 30_000 });
    expect(await statValue(page, 'Items', 'Succeeded').innerText()).toBe('38');
    await page.close();
  });

  it('shows the overview with the numbers of GET /v1/stats, the alerts and the per-minute chart', async () => {
    const page = await openConsole(KEYS.reader);
    await page.locator('canvas[aria-label^="Succeeded, failed attempts"]').waitFor();
    // The raised alerts of GET /v1/alerts (the state every instance shares), each with its rule, severity and message
    // (the time is in the browser's zone): the page polls, so they are compared until they agree.
    const alertList = page.locator('section[aria-label="Active alerts"] li');
    const agree = (raised: RuleAlert[], lines: string[]): boolean =>
      lines.length === raised.length && raised.every((alert, i) => lines[i]?.startsWith(`${alert.rule} (${alert.severity}, since `) && lines[i]?.endsWith(`: ${alert.message}`));
    let raised: RuleAlert[] = [];
    await waitFor(
      async () => {
        raised = AlertsAnswerSchema.parse(await scenario.read('/v1/alerts')).alerts.filter((alert) => alert.state === 'raised');
        return agree(raised, await alertList.allInnerTexts());
      },
      { timeoutMs: 30_000, description: 'the page to list the raised alerts of GET /v1/alerts' },
    );
    // ALERT_FAILURES_ABOVE=1: more than one failure has stood since the first batch.
    expect(raised.map((alert) => alert.rule)).toContain('ACCUMULATED_FAILURES');
    const answer = await scenario.read<Answer>('/v1/stats?minutes=60');
    await statValue(page, 'Overall', 'Submitted').filter({ hasText: shown.count(answer.items.submitted) }).waitFor();
    const values = await statValues(page, 'Overall');
    expect(values).toMatchObject({
      'Success rate': shown.rate(answer.rates.success),
      'First-pass success rate': shown.rate(answer.rates.firstPassSuccess),
      Pending: shown.count(answer.items.pending),
      Submitted: '80',
      Succeeded: '78',
      Abandoned: '2',
      'Recovered by replay': '6',
    });
    expect(await countTable(page, 'Abandoned by reason')).toEqual({ MAX_ATTEMPTS: '1', NOT_RETRYABLE: '1' });
    expect(await countTable(page, 'Abandoned by type')).toEqual({ AUTHENTICATION: '1', VALIDATION: '1' });
    await page.screenshot({ path: join(IMAGES, 'console-overview.png'), fullPage: true });
    await page.close();
  });

  it('with a read key, says its role, reads everything but is offered no replay', async () => {
    const page = await openConsole(KEYS.reader, '#/replays');
    expect(await page.locator('.key-roles').innerText()).toBe('Role: read');
    await page.locator('caption', { hasText: '1 replay, newest first' }).waitFor();
    // Told at once (from GET /v1/me), without trying an operate call first.
    await page.getByText('This key has the read role: starting, continuing or cancelling a replay needs a key with the operate role.').waitFor();
    await expect(page.getByRole('button', { name: 'Dry run' }).count()).resolves.toBe(0);
    await expect(page.getByLabel('Batch ids').count()).resolves.toBe(0);
    await page.getByRole('link', { name: /^rp-/ }).click();
    await page.locator('.badge', { hasText: 'Complete' }).waitFor();
    await page.getByText('This key has the read role').waitFor();
    await expect(page.getByRole('button', { name: /Cancel replay|Continue/ }).count()).resolves.toBe(0);
    // The batch page offers no replay link either.
    await showView(page, `#/batches/${FINISHED.batchId}`);
    await page.getByRole('link', { name: 'Failures of this batch' }).waitFor();
    await expect(page.getByRole('link', { name: 'Replay its dead letters' }).count()).resolves.toBe(0);
    await page.close();
  });

  it('says when a key is not valid', async () => {
    const page = await openConsole('not-a-console-key-01');
    await page.getByText('Not a valid key').waitFor();
    await page.getByRole('button', { name: 'Forget key' }).click();
    await page.getByLabel('API key').waitFor();
    await page.close();
  });

  it('nothing on the pages failed, broke the Content-Security-Policy, or came from elsewhere', () => {
    expect(browser.problems.filter((problem) => !EXPECTED_LOGS.test(problem))).toEqual([]);
  });
});
