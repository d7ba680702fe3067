import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { CallLedger, type SimulatorStats } from './call-ledger';
import { alwaysFailingPortfolios, decideCall } from './decide-outcome';
import { AdminRequestError } from './errors/admin-request-error';
import { FailureProfileError } from './errors/failure-profile-error';
import { SimulatorOptionError } from './errors/simulator-option-error';
import type { FailureProfile } from './failure-profile.schema';
import { DEFAULT_PRESET_NAME } from './failure-profile-presets';
import { FixedWindowRateLimiter, type RateLimitVerdict } from './fixed-window-rate-limiter';
import { resolveFailureProfile } from './load-failure-profile';
import type { Outcome } from './outcome';
import { PORTFOLIOS, findPortfolio, type Portfolio } from './portfolios';
import { buildProfitabilityReport, isValidReportDate } from './profitability-report';
import {
  DEFAULT_SEED,
  MAX_ADMIN_BODY_BYTES,
  ResetRequestSchema,
  SeedSchema,
  type SimulatorLogger,
  type SimulatorOptions,
  type SimulatorResetOptions,
} from './simulator-options';

/**
 * `X-RateLimit-Limit` announced by a simulated 429 (the `rate_limited` fault) when the
 * simulator has no real limit configured: the fault mimics a quota it does not enforce.
 */
export const ADVERTISED_RATE_LIMIT = 60;

const REPORT_PATH = /^\/portfolios\/([^/]+)\/profitability-report\/?$/;

/** A delayed or held response, kept so it can be cancelled when its client leaves or the server closes. */
interface PendingResponse {
  readonly response: ServerResponse;
  readonly timer: NodeJS.Timeout;
}

type LogFields = Record<string, unknown>;

/**
 * The simulated downstream API: serves the synthetic profitability report of the 104
 * portfolios over node:http and answers each call as the failure profile decides.
 * Use it through `startSimulator`; this class holds the state (profile, seed, counters,
 * held responses) and the routes.
 */
export class DownstreamSimulator {
  private profile: FailureProfile;
  private seed: number;
  private readonly ledger: CallLedger;
  private readonly limiter: FixedWindowRateLimiter | undefined;
  private readonly pending = new Set<PendingResponse>();
  private readonly server: Server;
  private readonly logger: SimulatorLogger | undefined;
  private readonly now: () => number;
  private closing: Promise<void> | undefined;

  /** Validates the options; throws {@link SimulatorOptionError} or {@link FailureProfileError}. */
  constructor(options: Omit<SimulatorOptions, 'port' | 'host'> = {}) {
    this.now = options.now ?? Date.now;
    this.seed = DownstreamSimulator.parseSeed(options.seed ?? DEFAULT_SEED, 'seed');
    this.profile = resolveFailureProfile(options.profile ?? DEFAULT_PRESET_NAME);
    const rateLimit = options.rateLimitPerSecond;
    if (rateLimit !== undefined && (!Number.isInteger(rateLimit) || rateLimit < 1)) {
      throw new SimulatorOptionError(
        `rateLimitPerSecond must be an integer >= 1 (or left out to disable it), got ${rateLimit}`,
        'rateLimitPerSecond',
      );
    }
    this.limiter = rateLimit === undefined ? undefined : new FixedWindowRateLimiter(rateLimit, this.now);
    this.logger = options.logger;
    this.ledger = new CallLedger(this.now);
    this.server = createServer((request, response) => this.handle(request, response));
  }

  private static parseSeed(seed: unknown, option: string): number {
    const result = SeedSchema.safeParse(seed);
    if (!result.success) {
      throw new SimulatorOptionError(`${option} must be a non-negative integer, got ${String(seed)}`, option);
    }
    return result.data;
  }

  /** The profile in use (changes on reset). */
  get currentProfile(): FailureProfile {
    return this.profile;
  }

  /** The seed in use (changes on reset). */
  get currentSeed(): number {
    return this.seed;
  }

  /** Starts listening; resolves with the bound address (the real port when given 0). */
  listen(port: number, host: string): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error): void => reject(error);
      this.server.once('error', onError);
      this.server.listen(port, host, () => {
        this.server.off('error', onError);
        resolve(this.server.address() as AddressInfo);
      });
    });
  }

  /**
   * Stops: cancels held and delayed responses (their clients see the connection close),
   * drops keep-alive connections and waits for the listener to close. Idempotent.
   */
  close(): Promise<void> {
    if (this.closing === undefined) {
      this.closing = new Promise<void>((resolve, reject) => {
        for (const entry of this.pending) {
          clearTimeout(entry.timer);
          entry.response.destroy();
        }
        this.pending.clear();
        if (!this.server.listening) {
          resolve();
          return;
        }
        this.server.close((error) => (error === undefined ? resolve() : reject(error)));
        this.server.closeAllConnections();
      });
    }
    return this.closing;
  }

  stats(): SimulatorStats {
    return this.ledger.snapshot({
      seed: this.seed,
      profileName: this.profile.name,
      inFlight: this.pending.size,
      alwaysFailing: [...alwaysFailingPortfolios(this.profile, this.seed).entries()]
        .map(([portfolioId, fault]) => ({ portfolioId, fault }))
        .sort((left, right) => left.portfolioId.localeCompare(right.portfolioId)),
    });
  }

  /**
   * Counters back to zero (every portfolio's next call is call 1 again), optionally with
   * a new seed or profile. Validates first: on an invalid option nothing changes.
   * Responses already held keep their decided outcome.
   */
  reset(options: SimulatorResetOptions = {}, allowProfileFiles = true): void {
    const seed = options.seed === undefined ? this.seed : DownstreamSimulator.parseSeed(options.seed, 'seed');
    const profile =
      options.profile === undefined ? this.profile : resolveFailureProfile(options.profile, allowProfileFiles);
    this.seed = seed;
    this.profile = profile;
    this.ledger.reset();
    this.limiter?.reset();
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const startedAt = performance.now();
    const url = new URL(request.url ?? '/', 'http://simulator.local');
    const logFields: LogFields = { method: request.method, path: url.pathname };
    response.once('close', () => {
      const finished = response.writableFinished;
      this.logger?.info(
        {
          ...logFields,
          status: finished ? response.statusCode : null,
          clientAborted: !finished,
          ms: Math.round(performance.now() - startedAt),
        },
        'request',
      );
    });
    this.route(request, response, url, logFields).catch((error: unknown) => {
      if (error instanceof AdminRequestError) {
        this.sendError(response, error.status, error.code, error.message, {}, error.headers);
      } else if (error instanceof FailureProfileError) {
        this.sendError(response, 400, 'INVALID_PROFILE', error.message, { issues: error.issues });
      } else if (error instanceof SimulatorOptionError) {
        this.sendError(response, 400, 'INVALID_OPTION', error.message);
      } else {
        // A bug in the simulator, not a simulated fault: say so plainly.
        this.sendError(response, 500, 'SIMULATOR_BUG', (error as Error).message ?? String(error));
      }
    });
  }

  private async route(
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
    logFields: LogFields,
  ): Promise<void> {
    const method = request.method ?? 'GET';
    const path = url.pathname;
    const reportMatch = REPORT_PATH.exec(path);
    if (reportMatch !== null) {
      this.requireMethod(method, 'GET');
      this.serveReport(response, reportMatch[1], url.searchParams.get('date'), logFields);
      return;
    }
    switch (path) {
      case '/health':
        this.requireMethod(method, 'GET');
        this.sendJson(response, 200, { status: 'ok' });
        return;
      case '/portfolios':
        this.requireMethod(method, 'GET');
        this.sendJson(response, 200, { count: PORTFOLIOS.length, portfolios: PORTFOLIOS });
        return;
      case '/admin/stats':
        this.requireMethod(method, 'GET');
        this.sendJson(response, 200, this.stats());
        return;
      case '/admin/reset':
        this.requireMethod(method, 'POST');
        await this.serveReset(request, response);
        return;
      default:
        throw new AdminRequestError(404, 'NOT_FOUND', `no route for ${method} ${path}`);
    }
  }

  private requireMethod(method: string, allowed: string): void {
    if (method !== allowed) {
      throw new AdminRequestError(405, 'METHOD_NOT_ALLOWED', `use ${allowed}`, { allow: allowed });
    }
  }

  private async serveReset(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const text = await DownstreamSimulator.readBody(request);
    let body: unknown = {};
    if (text.trim().length > 0) {
      try {
        body = JSON.parse(text) as unknown;
      } catch {
        throw new AdminRequestError(400, 'INVALID_BODY', 'body must be JSON: { "seed"?: number, "profile"?: preset | object }');
      }
    }
    const parsed = ResetRequestSchema.safeParse(body);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
      throw new AdminRequestError(400, 'INVALID_BODY', issues.join('; '));
    }
    // false: a request must not make the simulator read files; presets and objects only.
    this.reset(parsed.data, false);
    this.sendJson(response, 200, this.stats());
  }

  private static readBody(request: IncomingMessage): Promise<string> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      request.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_ADMIN_BODY_BYTES) {
          reject(new AdminRequestError(413, 'BODY_TOO_LARGE', `body over ${MAX_ADMIN_BODY_BYTES} bytes`));
          request.resume();
          return;
        }
        chunks.push(chunk);
      });
      request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      request.on('error', reject);
    });
  }

  private serveReport(
    response: ServerResponse,
    encodedPortfolioId: string,
    date: string | null,
    logFields: LogFields,
  ): void {
    // The limiter stands in front of everything, like an API gateway's quota.
    const verdict = this.limiter?.take();
    if (verdict !== undefined && !verdict.allowed) {
      this.ledger.recordThrottled();
      logFields.outcome = 'throttled';
      this.sendError(response, 429, 'RATE_LIMITED', 'simulator rate limit exceeded', {}, {
        'retry-after': String(verdict.resetSeconds),
        ...DownstreamSimulator.rateLimitHeaders(verdict),
      });
      return;
    }
    const limitHeaders = verdict === undefined ? {} : DownstreamSimulator.rateLimitHeaders(verdict);
    let portfolioId: string;
    try {
      portfolioId = decodeURIComponent(encodedPortfolioId);
    } catch {
      throw new AdminRequestError(400, 'INVALID_PORTFOLIO_ID', 'portfolio id is not valid URI encoding');
    }
    logFields.portfolioId = portfolioId;
    const portfolio = findPortfolio(portfolioId);
    if (portfolio === undefined) {
      this.ledger.recordNotFound();
      this.sendError(response, 404, 'PORTFOLIO_NOT_FOUND', `unknown portfolio ${portfolioId}`, { portfolioId }, limitHeaders);
      return;
    }
    if (date !== null && !isValidReportDate(date)) {
      this.ledger.recordInvalidRequest();
      this.sendError(response, 400, 'INVALID_DATE', 'date must be a calendar date YYYY-MM-DD', { portfolioId }, limitHeaders);
      return;
    }
    const reportDate = date ?? new Date(this.now()).toISOString().slice(0, 10);
    const callIndex = this.ledger.nextCallIndex(portfolioId);
    // Decide with the profile and seed of now: a reset during a held call does not change it.
    const profile = this.profile;
    const decision = decideCall(profile, this.seed, portfolioId, callIndex);
    this.ledger.recordOutcome(decision.outcome);
    Object.assign(logFields, { callIndex, outcome: decision.outcome, reason: decision.reason });
    const headers: Record<string, string> = {
      ...limitHeaders,
      // For debugging and assertions in tests; a client must classify on status and body, not on these.
      'x-simulator-call-index': String(callIndex),
      'x-simulator-outcome': decision.outcome,
    };
    const outcome = decision.outcome;
    if (outcome === 'timeout') {
      this.hold(response, profile.timeoutHoldMs, () =>
        this.sendError(response, 504, 'GATEWAY_TIMEOUT', `report not produced within ${profile.timeoutHoldMs} ms`, { portfolioId, callIndex }, headers),
      );
      return;
    }
    this.hold(response, decision.latencyMs, () =>
      this.answer(response, outcome, portfolio, reportDate, callIndex, profile, headers),
    );
  }

  private answer(
    response: ServerResponse,
    outcome: Exclude<Outcome, 'timeout'>,
    portfolio: Portfolio,
    reportDate: string,
    callIndex: number,
    profile: FailureProfile,
    headers: Record<string, string>,
  ): void {
    const context = { portfolioId: portfolio.portfolioId, callIndex };
    switch (outcome) {
      case 'ok':
        this.sendJson(response, 200, buildProfitabilityReport(portfolio, reportDate), headers);
        return;
      case 'empty_report':
        this.sendJson(response, 200, buildProfitabilityReport(portfolio, reportDate, false), headers);
        return;
      case 'malformed': {
        // A report cut in the middle, still labelled JSON: what a proxy timing out mid-body produces.
        const full = JSON.stringify(buildProfitabilityReport(portfolio, reportDate));
        this.send(response, 200, full.slice(0, Math.floor(full.length / 2)), 'application/json; charset=utf-8', headers);
        return;
      }
      case 'server_error':
        this.sendError(response, 500, 'INTERNAL_SERVER_ERROR', 'simulated upstream failure', context, headers);
        return;
      case 'unauthorized':
        this.sendError(response, 401, 'UNAUTHORIZED', 'invalid or expired credentials', context, {
          ...headers,
          'www-authenticate': 'Bearer error="invalid_token"',
        });
        return;
      case 'bad_request':
        this.sendError(response, 400, 'BAD_REQUEST', 'simulated rejected request', context, headers);
        return;
      case 'rate_limited':
        this.sendError(response, 429, 'RATE_LIMITED', 'too many requests', context, {
          ...headers,
          'retry-after': String(profile.retryAfterSeconds),
          'x-ratelimit-limit': String(this.limiter?.limitPerSecond ?? ADVERTISED_RATE_LIMIT),
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': String(profile.retryAfterSeconds),
        });
        return;
    }
  }

  /**
   * Runs `action` after `delayMs`, unless the client goes away first or the server
   * closes: either way the timer is cleared, so nothing fires into a dead socket and
   * no timer outlives the server.
   */
  private hold(response: ServerResponse, delayMs: number, action: () => void): void {
    const entry: PendingResponse = {
      response,
      timer: setTimeout(() => {
        this.pending.delete(entry);
        action();
      }, delayMs),
    };
    this.pending.add(entry);
    response.once('close', () => {
      clearTimeout(entry.timer);
      this.pending.delete(entry);
    });
  }

  /** `X-RateLimit-Reset` is in seconds from now (like `Retry-After`), not an epoch time. */
  private static rateLimitHeaders(verdict: RateLimitVerdict): Record<string, string> {
    return {
      'x-ratelimit-limit': String(verdict.limit),
      'x-ratelimit-remaining': String(verdict.remaining),
      'x-ratelimit-reset': String(verdict.resetSeconds),
    };
  }

  private sendError(
    response: ServerResponse,
    status: number,
    code: string,
    message: string,
    details: Record<string, unknown> = {},
    headers: Record<string, string> = {},
  ): void {
    this.sendJson(response, status, { error: { code, message, ...details } }, headers);
  }

  private sendJson(
    response: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void {
    this.send(response, status, JSON.stringify(body), 'application/json; charset=utf-8', headers);
  }

  private send(
    response: ServerResponse,
    status: number,
    body: string,
    contentType: string,
    headers: Record<string, string>,
  ): void {
    if (response.destroyed || response.headersSent) {
      return;
    }
    response.writeHead(status, {
      ...headers,
      'content-type': contentType,
      'content-length': String(Buffer.byteLength(body)),
    });
    response.end(body);
  }
}
