import { request, type ClientRequest } from 'node:http';

export interface StreamEvent {
  event: string;
  data: string;
}

/** A text/event-stream request with headers (the API key), collecting events until the server ends the stream. */
export class SseStream {
  readonly events: StreamEvent[] = [];
  status?: number;
  /** The body of a non-200 answer. */
  text = '';
  readonly ended: Promise<void>;
  private req?: ClientRequest;

  constructor(url: string, headers: Record<string, string>) {
    this.ended = new Promise((resolve) => {
      this.req = request(url, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
        this.status = res.statusCode;
        res.setEncoding('utf8');
        let buffer = '';
        res.on('data', (chunk: string) => {
          if (this.status !== 200) {
            this.text += chunk;
            return;
          }
          buffer += chunk;
          let split: number;
          while ((split = buffer.indexOf('\n\n')) >= 0) {
            this.parse(buffer.slice(0, split));
            buffer = buffer.slice(split + 2);
          }
        });
        res.on('end', () => resolve());
        res.on('error', () => resolve());
      });
      this.req.on('error', () => resolve());
      this.req.end();
    });
  }

  names(): string[] {
    return this.events.map((event) => event.event);
  }

  close(): void {
    this.req?.destroy();
  }

  private parse(block: string): void {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length > 0) this.events.push({ event, data: data.join('\n') });
  }
}
