/** Builds prefixed Redis keys: `new RedisKeys('workpipe:').key('dedup', itemId)` -> `workpipe:dedup:<itemId>`. */
export class RedisKeys {
  constructor(readonly prefix: string) {}

  key(...parts: readonly (string | number)[]): string {
    return `${this.prefix}${parts.join(':')}`;
  }
}
