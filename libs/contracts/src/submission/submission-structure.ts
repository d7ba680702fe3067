/**
 * Limits on the structure of a submitted item, checked on the raw value before it is parsed (a
 * parsed record would already have turned a `__proto__` key into its prototype): by HTTP and for
 * items mapped from source events alike.
 */

/** Deepest nesting of objects and arrays inside an item's `payload` (the payload object itself is level 1). */
export const MAX_PAYLOAD_DEPTH = 32;

/** Keys that reach `Object.prototype` through a later merge or spread: refused anywhere in a request or an item. */
export const FORBIDDEN_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype'];

/**
 * What makes a raw item unfit, naming where (`payload.a.b: ...`), or undefined: a forbidden key
 * anywhere, or a payload nested deeper than `maxPayloadDepth`. Walks without recursion and stops
 * at the first problem, so a value nested 200,000 levels costs no stack.
 */
export function itemStructureProblem(raw: unknown, maxPayloadDepth: number = MAX_PAYLOAD_DEPTH): string | undefined {
  if (raw === null || typeof raw !== 'object') return undefined;
  const stack: { node: unknown; path: string; payloadDepth: number }[] = [{ node: raw, path: '', payloadDepth: 0 }];
  while (stack.length > 0) {
    const { node, path, payloadDepth } = stack.pop() as (typeof stack)[number];
    if (node === null || typeof node !== 'object') continue;
    if (payloadDepth > maxPayloadDepth) {
      return `${shown(path)}: the payload nests objects and arrays more than ${maxPayloadDepth} levels deep; at most ${maxPayloadDepth} are allowed`;
    }
    const entries: [string, unknown][] = Array.isArray(node) ? node.map((child, index) => [String(index), child]) : Object.entries(node);
    for (const [key, child] of entries) {
      const childPath = path === '' ? key : `${path}.${key}`;
      if (FORBIDDEN_KEYS.includes(key)) return `${shown(childPath)}: forbidden key (${FORBIDDEN_KEYS.join(', ')} are not allowed anywhere)`;
      // Depth counts inside the payload only; the item's own fields are level 0.
      const depth = payloadDepth > 0 ? payloadDepth + 1 : path === '' && key === 'payload' ? 1 : 0;
      stack.push({ node: child, path: childPath, payloadDepth: depth });
    }
  }
  return undefined;
}

/** A path as shown in a message, bounded (keys are the client's text). */
function shown(path: string): string {
  return path.length > 120 ? `${path.slice(0, 117)}...` : path;
}
