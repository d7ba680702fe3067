// Deeper nesting than any configuration needs is reported where it starts to be too deep.
const MAX_DEPTH = 256;

/**
 * Where `text` stops being JSON (RFC 8259), as a 0-based character offset, or undefined when it
 * is JSON. `text.length` when it ends too early. Used to name the position of a syntax error
 * without quoting the text, as `JSON.parse`'s own message does (`Unexpected token 'a', "abc" is
 * not valid JSON`).
 */
export function jsonSyntaxErrorPosition(text: string): number | undefined {
  const scanner = new JsonScanner(text);
  return scanner.scanDocument();
}

class JsonScanner {
  private offset = 0;

  constructor(private readonly text: string) {}

  /** The offset of the first error, or undefined. */
  scanDocument(): number | undefined {
    this.skipBlanks();
    const error = this.scanValue(0);
    if (error !== undefined) return error;
    this.skipBlanks();
    return this.offset < this.text.length ? this.offset : undefined;
  }

  private scanValue(depth: number): number | undefined {
    if (depth > MAX_DEPTH) return this.offset;
    const char = this.text.charAt(this.offset);
    if (char === '{') return this.scanContainer(depth, '}', true);
    if (char === '[') return this.scanContainer(depth, ']', false);
    if (char === '"') return this.scanString();
    if (char === '-' || (char >= '0' && char <= '9')) return this.scanNumber();
    for (const literal of ['true', 'false', 'null']) {
      if (this.text.startsWith(literal, this.offset)) {
        this.offset += literal.length;
        return undefined;
      }
    }
    return this.offset;
  }

  /** An object (`keyed`) or an array, the opening bracket at the offset. */
  private scanContainer(depth: number, close: string, keyed: boolean): number | undefined {
    this.offset += 1;
    this.skipBlanks();
    if (this.text.charAt(this.offset) === close) {
      this.offset += 1;
      return undefined;
    }
    for (;;) {
      if (keyed) {
        if (this.text.charAt(this.offset) !== '"') return this.offset;
        const keyError = this.scanString();
        if (keyError !== undefined) return keyError;
        this.skipBlanks();
        if (this.text.charAt(this.offset) !== ':') return this.offset;
        this.offset += 1;
        this.skipBlanks();
      }
      const error = this.scanValue(depth + 1);
      if (error !== undefined) return error;
      this.skipBlanks();
      const next = this.text.charAt(this.offset);
      if (next === close) {
        this.offset += 1;
        return undefined;
      }
      if (next !== ',') return this.offset;
      this.offset += 1;
      this.skipBlanks();
    }
  }

  private scanString(): number | undefined {
    this.offset += 1;
    while (this.offset < this.text.length) {
      const char = this.text.charAt(this.offset);
      if (char === '"') {
        this.offset += 1;
        return undefined;
      }
      if (char < ' ') return this.offset;
      if (char === '\\') {
        const escaped = this.text.charAt(this.offset + 1);
        if (escaped === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(this.text.slice(this.offset + 2, this.offset + 6))) return this.offset;
          this.offset += 6;
        } else if ('"\\/bfnrt'.includes(escaped) && escaped !== '') {
          this.offset += 2;
        } else {
          return this.offset;
        }
      } else {
        this.offset += 1;
      }
    }
    return this.offset;
  }

  private scanNumber(): number | undefined {
    const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(this.text.slice(this.offset));
    if (match === null) return this.offset;
    this.offset += match[0].length;
    return undefined;
  }

  private skipBlanks(): void {
    while (this.offset < this.text.length && ' \t\n\r'.includes(this.text.charAt(this.offset))) this.offset += 1;
  }
}
