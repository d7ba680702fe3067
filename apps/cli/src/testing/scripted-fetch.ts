/** A request as the fake saw it. */
export interface RecordedRequest {
  url: string;
  /** `GET`, `POST`. */
  method: string;
  headers: Record<string, string>;
  /** The JSON body; an empty object for a request without one. */
  body: { batchId?: string; items: Record<string, unknown>[] } & Record<string, unknown>;
}

/** One scripted answer: a response, or an error `fetch` throws (network failure). */
export type ScriptedAnswer =
  | { status: number; body?: unknown; headers?: Record<string, string> }
  | { throws: Error }
  | ((request: RecordedRequest) => { status: number; body?: unknown; headers?: Record<string, string> });

/** A `fetch` answering from a script, one answer per call (the last one repeats), recording each request. */
export function scriptedFetch(...script: ScriptedAnswer[]): typeof fetch & { requests: RecordedRequest[] } {
  const requests: RecordedRequest[] = [];
  const fake = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request: RecordedRequest = {
      url: String(input),
      method: init?.method ?? 'GET',
      headers: Object.fromEntries(new Headers(init?.headers).entries()),
      body: (init?.body === undefined ? {} : JSON.parse(String(init.body))) as RecordedRequest['body'],
    };
    requests.push(request);
    const answer = script[Math.min(requests.length - 1, script.length - 1)];
    if (!answer) throw new Error('scriptedFetch: empty script');
    if ('throws' in answer) throw answer.throws;
    const { status, body, headers } = typeof answer === 'function' ? answer(request) : answer;
    return new Response(body === undefined ? null : typeof body === 'string' ? body : JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json', ...headers },
    });
  };
  return Object.assign(fake as typeof fetch, { requests });
}

/** The ingestor's answer accepting every item of the request, with derived ids. */
export function acceptAll(request: RecordedRequest): { status: number; body: unknown } {
  const accepted = request.body.items.map((item, index) => ({ index, itemId: `id-${String(item.key)}` }));
  return {
    status: 202,
    body: {
      batchId: request.body.batchId,
      correlationId: 'corr',
      accepted,
      rejected: [],
      duplicates: [],
      counts: { accepted: accepted.length, rejected: 0, duplicates: 0 },
    },
  };
}

/** `fetch` throwing as undici does when nothing listens on the port. */
export function connectionRefused(): Error {
  return Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
}
