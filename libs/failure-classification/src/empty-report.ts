/** What an emptiness check gets to look at. */
export interface EmptyReportCandidate {
  /** The whole 2xx body as text. */
  readonly bodyText: string;
  /** The body parsed as JSON, or `undefined` when it is not JSON (or was not worth parsing). */
  readonly json: unknown;
  /** The Content-Type header, if any. */
  readonly contentType?: string;
}

/** Says whether a successful response carries an empty report (a handler may supply its own). */
export type EmptyReportPredicate = (candidate: EmptyReportCandidate) => boolean;

/** Fields under which report APIs commonly return their rows. */
export const REPORT_ROW_FIELDS = ['rows', 'data', 'items'] as const;

/**
 * The default emptiness check: an empty or blank body, JSON `[]` or `{}`, or an object whose
 * `rows`, `data` and `items` arrays (those present) are all empty. A downstream that is still
 * preparing a report answers 200 with nothing in it; that is worth retrying later (EMPTY_REPORT).
 */
export const isEmptyReportBody: EmptyReportPredicate = ({ bodyText, json }) => {
  if (bodyText.trim() === '') return true;
  if (Array.isArray(json)) return json.length === 0;
  if (json === null || typeof json !== 'object') return false;
  const fields = json as Record<string, unknown>;
  if (Object.keys(fields).length === 0) return true;
  const rowLists = REPORT_ROW_FIELDS.map((field) => fields[field]).filter(Array.isArray);
  return rowLists.length > 0 && rowLists.every((rows) => rows.length === 0);
};
