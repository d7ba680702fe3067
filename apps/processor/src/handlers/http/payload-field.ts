import { ValidationError } from '@workpipe/failure-classification';

/** A `{field}` placeholder; dot paths reach into nested objects: `{portfolio.id}`. */
export const PLACEHOLDER = /\{([A-Za-z_][\w.-]*)\}/g;

/**
 * The text of payload field `path` (a dot path) for a template. A missing, null or non-scalar
 * field is the item's fault: a VALIDATION failure, never retried.
 * @param usedBy what needs the field, for the message, e.g. `the URL template`
 */
export function payloadFieldText(payload: Readonly<Record<string, unknown>>, path: string, usedBy: string): string {
  const value = path
    .split('.')
    .reduce<unknown>(
      (current, part) => (current && typeof current === 'object' ? (current as Record<string, unknown>)[part] : undefined),
      payload,
    );
  if (value === undefined || value === null || typeof value === 'object') {
    throw new ValidationError(`payload field "${path}" is required by ${usedBy} and must be a scalar`, {
      code: 'TEMPLATE_FIELD_MISSING',
    });
  }
  return String(value);
}
