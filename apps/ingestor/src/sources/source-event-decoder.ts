import type { IngestSource } from '@workpipe/config';
import { RegistryUnavailableError } from './errors/registry-unavailable-error';
import { SourceDecodeError } from './errors/source-decode-error';
import { PayloadValidationError, SchemaRegistryError } from '@workpipe/kafka';

/** What the decoder needs of `RegistrySerde`. */
export interface UncheckedRegistryDecoder {
  decodeUnchecked(buffer: Buffer): Promise<unknown>;
}

/**
 * Decodes a source message's value by its source's format. Throws
 * {@link SourceDecodeError} for a poison message (never retried) and
 * {@link RegistryUnavailableError} when the registry could not be asked (retried).
 */
export class SourceEventDecoder {
  private readonly utf8 = new TextDecoder('utf-8', { fatal: true });

  constructor(private readonly registry: UncheckedRegistryDecoder) {}

  async decode(value: Buffer | null, format: IngestSource['format']): Promise<unknown> {
    if (value === null || value.length === 0) throw new SourceDecodeError('the message has no value (tombstone)');
    return format === 'registry' ? this.decodeRegistry(value) : this.decodeJson(value);
  }

  private decodeJson(value: Buffer): unknown {
    let text: string;
    try {
      text = this.utf8.decode(value);
    } catch (error) {
      throw new SourceDecodeError('the value is not valid UTF-8', error);
    }
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new SourceDecodeError(`the value is not JSON: ${(error as Error).message}`, error);
    }
  }

  private async decodeRegistry(value: Buffer): Promise<unknown> {
    try {
      return await this.registry.decodeUnchecked(value);
    } catch (error) {
      if (error instanceof PayloadValidationError) throw new SourceDecodeError(error.issues.join('; '), error);
      if (error instanceof SchemaRegistryError) throw new RegistryUnavailableError(error.message, error);
      throw error;
    }
  }
}
