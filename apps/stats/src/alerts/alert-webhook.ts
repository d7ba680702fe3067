import type { Alert } from '@workpipe/contracts';
import { describeThrown } from '@workpipe/failure-classification';
import { redactUrl, type Logger } from '@workpipe/logging';

export interface AlertWebhookOptions {
  /** Where to POST; may hold credentials (userinfo, a `?token=`), so it is only logged redacted. */
  url: string;
  /** Per try, in ms. */
  timeoutMs: number;
  /** Extra tries after a failed one. */
  retries: number;
  /** Wait before the first retry, in ms; doubles each time. Default 500. */
  initialBackoffMs?: number;
  /** The HTTP client; default the global fetch. */
  fetch?: typeof fetch;
}

export type WebhookOutcome = 'delivered' | 'rejected' | 'failed';

/**
 * POSTs alert events as JSON; a URL's userinfo (`https://user:password@host/hook`) is sent as
 * HTTP basic authentication. A network error, a timeout, a 5xx or a 429 is
 * retried with doubling backoff; another 4xx is the receiver refusing the event
 * and is not. Never throws: the outcome is returned and logged, the URL and the error redacted
 * (`redactUrl`, `describeThrown`): no userinfo, no query value, no quoted header value.
 */
export class AlertWebhook {
  /** The URL without its userinfo (fetch refuses a URL with credentials). */
  private readonly target: string;
  /** `Authorization: Basic ...` from the URL's userinfo, if it has any. */
  private readonly authorization?: string;

  constructor(
    private readonly options: AlertWebhookOptions,
    private readonly logger: Logger,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {
    const url = new URL(options.url);
    if (url.username !== '' || url.password !== '') {
      const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
      this.authorization = `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`;
      url.username = '';
      url.password = '';
    }
    this.target = url.toString();
  }

  async post(alert: Alert.Value): Promise<WebhookOutcome> {
    const backoff = this.options.initialBackoffMs ?? 500;
    let lastError = '';
    for (let attempt = 0; attempt <= this.options.retries; attempt++) {
      if (attempt > 0) await this.sleep(backoff * 2 ** (attempt - 1));
      try {
        const headers: Record<string, string> = { 'content-type': 'application/json', 'x-alert-id': alert.alertId };
        if (this.authorization) headers.authorization = this.authorization;
        const response = await (this.options.fetch ?? fetch)(this.target, {
          method: 'POST',
          headers,
          body: JSON.stringify(alert),
          signal: AbortSignal.timeout(this.options.timeoutMs),
        });
        await response.arrayBuffer().catch(() => undefined);
        if (response.ok) return 'delivered';
        lastError = `HTTP ${response.status}`;
        if (response.status < 500 && response.status !== 429) {
          this.logger.error(
            { alertId: alert.alertId, webhookUrl: redactUrl(this.options.url), status: response.status },
            'alert webhook refused the alert; not retried',
          );
          return 'rejected';
        }
      } catch (error) {
        lastError = describeThrown(error);
      }
    }
    this.logger.error(
      { alertId: alert.alertId, webhookUrl: redactUrl(this.options.url), tries: this.options.retries + 1, lastError },
      'alert webhook unreachable; alert not posted (it is on the alerts topic)',
    );
    return 'failed';
  }
}
