import type { IngestSource } from '@workpipe/config';
import { EventMappingError, type MappedField } from './errors/event-mapping-error';

/**
 * A work item as mapped from a source event, shaped like an `ItemSubmission`.
 * Its contents (id format, type format) are validated later by the submission,
 * exactly like an HTTP submission.
 */
export interface MappedSubmission {
  itemId?: string;
  key: string;
  type: string;
  batchId?: string;
  payload: Record<string, unknown>;
}

/** `$`: the whole event. */
const WHOLE_EVENT = '$';

/**
 * Maps decoded events of one source to submissions by the source's mapping.
 * Pure: no I/O. Each configured path must resolve: an id field (key, itemId,
 * batchId) to a string or a number, `type` to a string, `payload` to an object;
 * otherwise the result is an {@link EventMappingError} naming the path.
 */
export class SourceEventMapper {
  constructor(private readonly source: IngestSource) {}

  map(event: unknown): MappedSubmission | EventMappingError {
    const { mapping } = this.source;
    try {
      const key = this.identifier(event, 'key', mapping.key);
      const itemId = mapping.itemId === undefined ? undefined : this.identifier(event, 'itemId', mapping.itemId);
      const batchId = mapping.batchId === undefined ? undefined : this.identifier(event, 'batchId', mapping.batchId);
      const type = mapping.type === undefined ? (this.source.type as string) : this.text(event, 'type', mapping.type);
      const payload = this.object(event, 'payload', mapping.payload);
      return {
        ...(itemId === undefined ? {} : { itemId }),
        key,
        type,
        ...(batchId === undefined ? {} : { batchId }),
        payload,
      };
    } catch (error) {
      if (error instanceof EventMappingError) return error;
      throw error;
    }
  }

  private identifier(event: unknown, field: MappedField, path: string): string {
    const value = resolvePath(event, path);
    if (typeof value === 'string') return value;
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    throw mappingError(field, path, 'a string or number', value);
  }

  private text(event: unknown, field: MappedField, path: string): string {
    const value = resolvePath(event, path);
    if (typeof value === 'string') return value;
    throw mappingError(field, path, 'a string', value);
  }

  private object(event: unknown, field: MappedField, path: string): Record<string, unknown> {
    const value = resolvePath(event, path);
    if (isRecord(value)) return value;
    throw mappingError(field, path, 'an object', value);
  }
}

/**
 * The value at a dot path (`customer.id`; a numeric segment indexes an array,
 * `lines.0.sku`), or undefined when any step is absent. Only own properties are
 * followed, so `constructor` or `__proto__` never resolve to built-ins.
 */
export function resolvePath(event: unknown, path: string): unknown {
  if (path === WHOLE_EVENT) return event;
  let current: unknown = event;
  for (const segment of path.split('.')) {
    if (Array.isArray(current) && /^\d+$/.test(segment)) {
      current = current[Number(segment)];
    } else if (isRecord(current) && Object.hasOwn(current, segment)) {
      current = current[segment];
    } else {
      return undefined;
    }
  }
  return current;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function mappingError(field: MappedField, path: string, expected: string, found: unknown): EventMappingError {
  return found === undefined
    ? new EventMappingError(field, path, 'missing', expected, 'undefined')
    : new EventMappingError(field, path, 'wrong-kind', expected, kindOf(found));
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'number' && !Number.isFinite(value)) return 'a non-finite number';
  return `a ${typeof value}`;
}
