import type { Alert } from '@workpipe/contracts';
import { describeThrown } from '@workpipe/failure-classification';
import { redactUrl } from '@workpipe/logging';

export interface AlertWebhookOptions {
  /** Where to POST; may hold credentials (userinfo, a `?token=`), so it is only ever shown redacted. */
  url: string;
  /** Bound of one POST, in ms: connecting, the answer and reading its body (ALERT_WEBHOOK_TIMEOUT_MS, default 5000). */
  timeoutMs: number;
  /** The HTTP client; default the global fetch. */
  fetch?: typeof fetch;
}

/** How one POST went: a 2xx, or why not (safe to log and to store: no credentials, no query value). */
export type WebhookTry = { ok: true; status: number } | { ok: false; error: string };

/**
 * POSTs one alert event as JSON, once: retrying, and deciding when to give up, is the
 * dispatcher's (the state of a delivery lives in the Redis outbox, not here). A URL's userinfo
 * (`https://user:password@host/hook`) is sent as HTTP basic authentication. Any answer but a 2xx,
 * a connection error or the timeout is a failed try. Never throws; the error it answers is
 * redacted (`describeThrown`): no userinfo, no query value, no quoted header value.
 */
export class AlertWebhook {
  /** The URL without its userinfo (fetch refuses a URL with credentials). */
  private readonly target: string;
  /** `Authorization: Basic ...` from the URL's userinfo, if it has any. */
  private readonly authorization?: string;
  /** The URL as it may be logged. */
  readonly redactedUrl: string;

  constructor(private readonly options: AlertWebhookOptions) {
    const url = new URL(options.url);
    if (url.username !== '' || url.password !== '') {
      const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
      this.authorization = `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`;
      url.username = '';
      url.password = '';
    }
    this.target = url.toString();
    this.redactedUrl = redactUrl(options.url);
  }

  async post(alert: Alert.Value): Promise<WebhookTry> {
    // One signal for the whole exchange: a receiver that accepts the connection and never
    // answers, or answers the headers and never the body, is cut off at timeoutMs.
    const signal = AbortSignal.timeout(this.options.timeoutMs);
    try {
      const headers: Record<string, string> = { 'content-type': 'application/json', 'x-alert-id': alert.alertId };
      if (this.authorization) headers.authorization = this.authorization;
      const response = await (this.options.fetch ?? fetch)(this.target, { method: 'POST', headers, body: JSON.stringify(alert), signal });
      await response.arrayBuffer();
      return response.ok ? { ok: true, status: response.status } : { ok: false, error: `HTTP ${response.status}` };
    } catch (error) {
      if (signal.aborted) return { ok: false, error: `no answer within ${this.options.timeoutMs} ms (timed out)` };
      return { ok: false, error: describeThrown(error) };
    }
  }
}
