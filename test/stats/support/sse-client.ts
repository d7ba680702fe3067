import { request, type ClientRequest } from 'node:http';

export interface ServerSentEvent {
  event: string;
  data: string;
  id?: string;
}

/** A minimal text/event-stream client for tests: collects events until the server ends the stream. */
export class SseClient {
  readonly events: ServerSentEvent[] = [];
  status?: number;
  contentType?: string;
  readonly ended: Promise<void>;
  private req?: ClientRequest;

  constructor(url: string) {
    this.ended = new Promise((resolve, reject) => {
      this.req = request(url, { headers: { accept: 'text/event-stream' } }, (res) => {
        this.status = res.statusCode;
        this.contentType = res.headers['content-type'];
        res.setEncoding('utf8');
        let buffer = '';
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let split: number;
          while ((split = buffer.indexOf('\n\n')) >= 0) {
            this.parse(buffer.slice(0, split));
            buffer = buffer.slice(split + 2);
          }
        });
        res.on('end', () => resolve());
        res.on('error', reject);
      });
      this.req.on('error', reject);
      this.req.end();
    });
    this.ended.catch(() => undefined);
  }

  named(event: string): unknown[] {
    return this.events.filter((e) => e.event === event).map((e) => JSON.parse(e.data) as unknown);
  }

  close(): void {
    this.req?.destroy();
  }

  private parse(block: string): void {
    const event: ServerSentEvent = { event: 'message', data: '' };
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event.event = value;
      else if (field === 'data') data.push(value);
      else if (field === 'id') event.id = value;
    }
    if (data.length === 0) return;
    event.data = data.join('\n');
    this.events.push(event);
  }
}
