import { z } from 'zod';
import { jsonEnv } from './json-env';

/** A dot path into a decoded event (`customer.id`), or `$` for the whole event. */
const FieldPath = z
  .string()
  .regex(/^(\$|[A-Za-z_][\w-]*(\.[A-Za-z_0-9][\w-]*)*)$/, 'must be "$" or a dot path such as "customer.id"');

/**
 * An event topic of another system, consumed by the ingestor and mapped to work
 * items. Each field of the mapping is a path into the decoded event.
 */
export const IngestSourceSchema = z
  .strictObject({
    /** Topic to consume (not prefixed: it belongs to the other system). */
    topic: z.string().min(1).max(249),
    /** `json`: plain JSON values; `registry`: Confluent wire format decoded through the Schema Registry. */
    format: z.enum(['json', 'registry']).default('json'),
    /** Work type of every item from this topic, unless `mapping.type` picks it from the event. */
    type: z.string().regex(/^[a-z][a-z0-9._-]*$/).optional(),
    mapping: z.strictObject({
      key: FieldPath,
      itemId: FieldPath.optional(),
      type: FieldPath.optional(),
      batchId: FieldPath.optional(),
      /** Default `$`: the whole event is the payload. */
      payload: FieldPath.default('$'),
    }),
  })
  .refine((source) => source.type !== undefined || source.mapping.type !== undefined, {
    message: 'give either "type" or "mapping.type"',
  });

export type IngestSource = z.infer<typeof IngestSourceSchema>;

/** `INGEST_SOURCES`: a JSON array of sources; empty by default. */
export const IngestSourcesSchema = jsonEnv(z.array(IngestSourceSchema));
