/**
 * One item as read from a file, in the shape of `POST /v1/batches` items. The
 * fields are not validated here: the ingestor's validation is the real one, and
 * the CLI maps its verdict back to the file line.
 */
export interface ItemCandidate {
  itemId?: unknown;
  key?: unknown;
  type?: unknown;
  batchId?: unknown;
  payload: Record<string, unknown>;
}

/** What a file reader yields for each record: an item to send, or why the line could not be read. */
export type FileRecord =
  | { line: number; submission: ItemCandidate; error?: undefined }
  | { line: number; error: string; submission?: undefined };

/** How file fields become item fields; shared by the CSV and JSON-lines readers. */
export interface ItemMappingOptions {
  /** Type of items that have none (no `type` field, or an empty CSV cell): `--type`. Default none. */
  defaultType?: string;
  /**
   * Field the key comes from: `--key-column`. Default `key`. Another field, e.g.
   * `portfolioId`, is also kept in the payload, since it is data the handler needs.
   */
  keyField?: string;
}

export const DEFAULT_KEY_FIELD = 'key';

/** Fields with a meaning of their own; every other field becomes a payload field. */
const ITEM_FIELDS = ['itemId', 'key', 'type', 'batchId', 'payload'] as const;

/**
 * Builds an item from one record's fields (a CSV row by column name, or a JSON
 * object): `itemId`, `type`, `batchId` and the key field as they are, `payload`
 * as an object, and every other field added to the payload. Returns a string
 * when the record cannot become an item (a payload that is not an object, a
 * field given twice).
 *
 * @param fields the record, by field name
 * @param emptyIsAbsent true for CSV, where an empty cell means "no value"
 */
export function toItemCandidate(
  fields: Record<string, unknown>,
  options: ItemMappingOptions,
  emptyIsAbsent: boolean,
): ItemCandidate | string {
  const keyField = options.keyField ?? DEFAULT_KEY_FIELD;
  const present = (value: unknown): boolean => value !== undefined && !(emptyIsAbsent && value === '');

  // No prototype, so a field named `__proto__` is data like any other.
  const payload = Object.create(null) as Record<string, unknown>;
  if (present(fields.payload)) {
    const parsed = emptyIsAbsent ? parseJsonCell(fields.payload as string) : { value: fields.payload };
    if ('error' in parsed) return parsed.error;
    if (!isPlainObject(parsed.value)) return 'payload: must be a JSON object';
    Object.assign(payload, parsed.value);
  }
  for (const [name, value] of Object.entries(fields)) {
    // A column named `key` is plain data when the key comes from another column.
    if (isItemField(name) && !(name === 'key' && keyField !== 'key')) continue;
    if (Object.hasOwn(payload, name)) {
      return `${name}: given both as a ${emptyIsAbsent ? 'column' : 'field'} and inside payload`;
    }
    payload[name] = value;
  }

  const item: ItemCandidate = { payload };
  if (present(fields.itemId)) item.itemId = fields.itemId;
  const key = isItemField(keyField) ? fields[keyField] : payload[keyField];
  // An explicit key column may hold numbers (a JSON portfolio number); keys are strings.
  if (present(key)) item.key = keyField !== 'key' && typeof key === 'number' ? String(key) : key;
  if (present(fields.type)) item.type = fields.type;
  else if (options.defaultType !== undefined) item.type = options.defaultType;
  if (present(fields.batchId)) item.batchId = fields.batchId;
  return item;
}

/** A CSV `payload` cell parsed as JSON, or why it is not JSON. */
function parseJsonCell(cell: string): { value: unknown } | { error: string } {
  try {
    return { value: JSON.parse(cell) as unknown };
  } catch (error) {
    return { error: `payload: not valid JSON (${(error as Error).message})` };
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isItemField(name: string): boolean {
  return (ITEM_FIELDS as readonly string[]).includes(name);
}
