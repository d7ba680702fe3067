import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium (`apt-get install -y chromium`): nothing here downloads a browser of its own. */
export const CHROMIUM = '/usr/bin/chromium';

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * Headless Chromium on a fresh profile, and what went wrong in its pages: console errors (a
 * Content-Security-Policy refusal among them), uncaught exceptions, and requests to anywhere but
 * the service under test.
 */
export class ConsoleBrowser {
  readonly problems: string[] = [];
  private context?: BrowserContext;
  private profile?: string;

  constructor(private readonly origin: string) {}

  async start(): Promise<this> {
    if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: install Debian's (apt-get install -y chromium)`);
    this.profile = mkdtempSync(join(tmpdir(), 'workpipe-console-chromium-'));
    this.context = await chromium.launchPersistentContext(this.profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      viewport: { width: 1360, height: 900 },
      acceptDownloads: true,
      locale: 'en-GB',
      timezoneId: 'UTC',
    });
    return this;
  }

  /** A new tab (its own sessionStorage: no key until one is typed), watched for problems. */
  async page(): Promise<Page> {
    const page = await (this.context as BrowserContext).newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') this.problems.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => this.problems.push(`page error: ${error.message}`));
    page.on('request', (request) => {
      const url = request.url();
      if (!url.startsWith(this.origin) && !url.startsWith('blob:') && !url.startsWith('data:')) this.problems.push(`request elsewhere: ${url}`);
    });
    return page;
  }

  async close(): Promise<void> {
    await this.context?.close();
    if (this.profile) rmSync(this.profile, { recursive: true, force: true });
  }
}
