// fetch wraps the real reason in `cause` ("fetch failed" → ECONNREFUSED); a few levels suffice
// and the bound protects against a cause cycle.
const MAX_CAUSE_DEPTH = 5;

/** The value, its causes, and for an AggregateError (Node's happy-eyeballs connect) its errors. */
export function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current: unknown = error;
  while (current !== undefined && current !== null && chain.length < MAX_CAUSE_DEPTH && !chain.includes(current)) {
    chain.push(current);
    if (current instanceof AggregateError) chain.push(...current.errors.slice(0, MAX_CAUSE_DEPTH));
    current = typeof current === 'object' ? (current as { cause?: unknown }).cause : undefined;
  }
  return chain;
}

/** The message as thrown, unredacted: for classification only, never for output. */
export function rawErrorMessage(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Error) return value.message || value.name;
  if (typeof value === 'object' && value !== null) {
    const { message } = value as { message?: unknown };
    if (typeof message === 'string') return message;
    try {
      return JSON.stringify(value) ?? Object.prototype.toString.call(value);
    } catch {
      return Object.prototype.toString.call(value);
    }
  }
  return String(value);
}

/** A non-empty string `code` (Node, undici, our own errors), else undefined. */
export function errorCode(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { code } = value as { code?: unknown };
  return typeof code === 'string' && code !== '' ? code : undefined;
}

/** A string `name` (`AbortError`, `TimeoutError`...), else undefined. */
export function errorName(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { name } = value as { name?: unknown };
  return typeof name === 'string' ? name : undefined;
}
