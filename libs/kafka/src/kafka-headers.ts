import type { IHeaders } from 'kafkajs';

/** Kafka headers as plain strings (kafkajs gives Buffers, arrays or undefined). */
export function readHeaders(headers: IHeaders | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) result[name] = first.toString();
  }
  return result;
}

/** Drops undefined values and stringifies numbers, so callers can pass optional fields as they are. */
export function buildHeaders(values: Record<string, string | number | undefined>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) {
    if (value !== undefined) result[name] = String(value);
  }
  return result;
}
