/** Response headers as Node and most HTTP clients hand them over. Names are case-insensitive. */
export type HttpHeaders = Readonly<Record<string, string | string[] | undefined>>;

/**
 * The value of header `name`, looked up case-insensitively; for a repeated header, the first
 * non-empty value. `undefined` when absent or empty.
 */
export function getHeader(headers: HttpHeaders, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted) continue;
    const values = Array.isArray(value) ? value : [value];
    const first = values.find((candidate) => candidate !== undefined && candidate.trim() !== '');
    if (first !== undefined) return first.trim();
  }
  return undefined;
}
