/** Which field of a source's mapping could not be resolved. */
export type MappedField = 'key' | 'itemId' | 'type' | 'batchId' | 'payload';

/**
 * A decoded source event does not fit its source's mapping: a path is missing,
 * or resolves to the wrong kind of value. The event is a poison message for
 * this mapping, so it is never retryable: it goes to `ingest.rejected`.
 */
export class EventMappingError extends Error {
  override readonly name = 'EventMappingError';
  readonly retryable = false;

  constructor(
    /** The mapping field that failed. */
    readonly field: MappedField,
    /** The configured path of that field, e.g. `customer.id`. */
    readonly path: string,
    /** `missing`: nothing at the path; `wrong-kind`: something of another kind than `expected`. */
    readonly problem: 'missing' | 'wrong-kind',
    /** What the field needs, e.g. `a string or number`. */
    readonly expected: string,
    /** What was found: `undefined`, `null`, `boolean`, `array`, `object`, ... */
    readonly found: string,
  ) {
    super(
      problem === 'missing'
        ? `mapping.${field}: path "${path}" is missing from the event (expected ${expected})`
        : `mapping.${field}: path "${path}" is ${found}, expected ${expected}`,
    );
  }
}
