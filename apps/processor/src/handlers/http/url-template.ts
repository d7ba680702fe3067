import { ValidationError } from '@workpipe/failure-classification';

/**
 * Fills `{field}` placeholders from the payload (dot paths allowed:
 * `{portfolio.id}`), URL-encoding each value. A missing field is the item's
 * fault: a VALIDATION failure, never retried.
 */
export function fillTemplate(template: string, payload: Record<string, unknown>, encode = true): string {
  return template.replace(/\{([A-Za-z_][\w.-]*)\}/g, (_match, path: string) => {
    const value = path.split('.').reduce<unknown>(
      (current, part) => (current && typeof current === 'object' ? (current as Record<string, unknown>)[part] : undefined),
      payload,
    );
    if (value === undefined || value === null || typeof value === 'object') {
      throw new ValidationError(`payload field "${path}" is required by the URL template and must be a scalar`, {
        code: 'TEMPLATE_FIELD_MISSING',
      });
    }
    return encode ? encodeURIComponent(String(value)) : String(value);
  });
}
