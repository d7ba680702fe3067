import { COMPATIBILITY, SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import type { JsonOptions } from '@kafkajs/confluent-schema-registry/dist/@types';
import type { SchemaRegistryAPIClientArgs } from '@kafkajs/confluent-schema-registry/dist/api';
import type { z } from 'zod';
import { valueSubject } from '@workpipe/contracts';
import { PayloadValidationError } from '../errors/payload-validation-error';
import { SchemaRegistryError } from '../errors/schema-registry-error';
import type { EventContract } from './event-contract';
import { jsonSchemaOf } from './json-schema-of';

export interface RegistrySettings {
  /** Base URL of a Confluent-compatible API, e.g. `http://127.0.0.1:8081/apis/ccompat/v7`. */
  url: string;
  username?: string;
  password?: string;
}

/**
 * Encodes and decodes events in the Confluent wire format (magic byte, 4-byte
 * schema id, JSON), with schemas registered from the zod contracts under the
 * topic's `-value` subject with BACKWARD compatibility. zod is the validator on
 * both sides; the registry's own ajv pass is switched off as redundant.
 */
export class RegistrySerde {
  private readonly registry: SchemaRegistry;
  private readonly schemaIds = new Map<string, Promise<number>>();

  private readonly headers: Record<string, string>;

  constructor(private readonly settings: RegistrySettings) {
    this.headers = { 'content-type': 'application/vnd.schemaregistry.v1+json', accept: 'application/vnd.schemaregistry.v1+json, application/json' };
    if (settings.username) {
      this.headers.authorization = `Basic ${Buffer.from(`${settings.username}:${settings.password ?? ''}`).toString('base64')}`;
    }
    this.registry = new SchemaRegistry(
      {
        host: settings.url,
        auth: settings.username ? { username: settings.username, password: settings.password ?? '' } : undefined,
        retry: { retries: 3 },
        middlewares: [requestTimeout(REGISTRY_REQUEST_TIMEOUT_MS)],
      },
      { [SchemaType.JSON]: { ajvInstance: acceptAll } },
    );
  }

  /** Registers (once per process) the contract's schema for a topic and returns its id. */
  register(topic: string, contract: EventContract): Promise<number> {
    const subject = valueSubject(topic);
    let id = this.schemaIds.get(subject);
    if (!id) {
      id = this.withRetries(() => this.registerSubject(subject, contract));
      this.schemaIds.set(subject, id);
      id.catch(() => this.schemaIds.delete(subject));
    }
    return id;
  }

  /** Validates with zod, then encodes in the wire format under the topic's subject. */
  async encode<S extends z.ZodType>(topic: string, contract: EventContract<S>, value: z.input<S>): Promise<Buffer> {
    const parsed = contract.Schema.safeParse(value);
    if (!parsed.success) {
      throw new PayloadValidationError(contract.EVENT_TYPE, parsed.error.issues.map(formatIssue));
    }
    const id = await this.register(topic, contract);
    try {
      return await this.registry.encode(id, parsed.data);
    } catch (error) {
      // JSON.stringify refused the value (a BigInt, a cycle, a structure too deep for the stack);
      // the library wraps that in its own validation error. Never retryable: the value must change.
      const name = (error as Error).name;
      if (error instanceof TypeError || error instanceof RangeError || name === 'ConfluentSchemaRegistryValidationError') {
        throw new PayloadValidationError(contract.EVENT_TYPE, [`cannot be serialised: ${(error as Error).message}`]);
      }
      throw error;
    }
  }

  /** Decodes a wire-format buffer and validates it against the contract. */
  async decode<S extends z.ZodType>(buffer: Buffer, contract: EventContract<S>): Promise<z.output<S>> {
    const raw = await this.decodeWith(buffer, contract.EVENT_TYPE);
    const parsed = contract.Schema.safeParse(raw);
    if (!parsed.success) {
      throw new PayloadValidationError(contract.EVENT_TYPE, parsed.error.issues.map(formatIssue));
    }
    return parsed.data;
  }

  /** Decodes a wire-format buffer of another system's schema, without a contract (validation is the caller's). */
  decodeUnchecked(buffer: Buffer): Promise<unknown> {
    return this.decodeWith(buffer, 'registry-encoded event');
  }

  /**
   * A bad message (no wire header, unknown schema id, undecodable body) is a
   * {@link PayloadValidationError}: poison, to be set aside. A registry that
   * cannot be reached is a retryable {@link SchemaRegistryError}: the message is
   * fine and must not be set aside.
   */
  private async decodeWith(buffer: Buffer, what: string): Promise<unknown> {
    if (buffer.length < 5 || buffer[0] !== 0) {
      throw new PayloadValidationError(what, ['not in the Confluent wire format (magic byte 0 and a 4-byte schema id)']);
    }
    const schemaId = buffer.readInt32BE(1);
    try {
      await this.registry.getSchema(schemaId);
    } catch (error) {
      const status = (error as { status?: number }).status;
      if (status === 404) throw new PayloadValidationError(what, [`schema id ${schemaId} is unknown to the registry`]);
      throw new SchemaRegistryError(`fetching schema ${schemaId} failed: ${(error as Error).message}`, true, error);
    }
    try {
      return await this.registry.decode(buffer);
    } catch (error) {
      throw new PayloadValidationError(what, [`not decodable: ${(error as Error).message}`]);
    }
  }

  /**
   * Retries what may pass (the registry restarting, a 5xx, a lost connection)
   * a few times with a growing pause, about 10 s in all: services started
   * together with the registry must all come up.
   */
  private async withRetries<T>(call: () => Promise<T>): Promise<T> {
    for (let attempt = 1, pauseMs = 200; ; attempt++, pauseMs = Math.min(3_000, pauseMs * 2)) {
      try {
        return await call();
      } catch (error) {
        if (!(error instanceof SchemaRegistryError) || !error.retryable || attempt >= REGISTER_ATTEMPTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, pauseMs));
      }
    }
  }

  /**
   * Sets the subject's compatibility, then registers the schema, both idempotent
   * calls of the Confluent-compatible API, so several instances starting at once
   * agree (the client library's own check-then-set races between them).
   */
  private async registerSubject(subject: string, contract: EventContract): Promise<number> {
    const schema = JSON.stringify(jsonSchemaOf(contract.EVENT_TYPE, contract.Schema));
    const path = `/subjects/${encodeURIComponent(subject)}`;
    try {
      await this.setBackwardCompatibility(subject);
      const { id } = (await this.call('POST', `${path}/versions`, { schemaType: SchemaType.JSON, schema })) as { id: number };
      return id;
    } catch (error) {
      if (error instanceof SchemaRegistryError) {
        throw new SchemaRegistryError(`registering ${contract.EVENT_TYPE} under ${subject} failed: ${error.message}`, error.retryable, error);
      }
      throw error;
    }
  }

  /**
   * PUT is idempotent, but Apicurio answers 409 ("rule already exists") to the
   * loser of two simultaneous first PUTs: then the level is read back instead.
   */
  private async setBackwardCompatibility(subject: string): Promise<void> {
    const path = `/config/${encodeURIComponent(subject)}`;
    try {
      await this.call('PUT', path, { compatibility: COMPATIBILITY.BACKWARD });
    } catch (error) {
      if (!(error instanceof SchemaRegistryError) || !/ 409:/.test(error.message)) throw error;
      const current = (await this.call('GET', path)) as { compatibilityLevel?: string; compatibility?: string };
      const level = current.compatibilityLevel ?? current.compatibility;
      if (level !== COMPATIBILITY.BACKWARD) {
        throw new SchemaRegistryError(`${subject} has compatibility ${level}, expected BACKWARD`, false);
      }
    }
  }

  private async call(method: 'GET' | 'PUT' | 'POST', path: string, body?: unknown): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(`${this.settings.url.replace(/\/+$/, '')}${path}`, {
        method,
        headers: this.headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(REGISTRY_REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      throw new SchemaRegistryError(`${method} ${path}: ${fetchFailureOf(error)}`, true, error);
    }
    const text = await response.text();
    if (!response.ok) {
      // 409 / 422: an incompatible schema, a change to fix in code, not to retry.
      throw new SchemaRegistryError(`${method} ${path} answered ${response.status}: ${text.slice(0, 500)}`, response.status >= 500 || response.status === 429);
    }
    return text ? (JSON.parse(text) as unknown) : undefined;
  }

}

/** Tries of a schema registration before a retryable error is given up on. */
const REGISTER_ATTEMPTS = 6;

/**
 * Longest wait for one answer of the registry, in milliseconds. A registry that accepts the
 * connection but never answers (frozen, or behind a network that drops its answers) must be an
 * error the consumer retries, never a wait without end on one request.
 */
const REGISTRY_REQUEST_TIMEOUT_MS = 10_000;

type RegistryClientMiddleware = NonNullable<SchemaRegistryAPIClientArgs['middlewares']>[number];

/** Gives every request of the registry client library a timeout: it sets none, so a silent registry held a decode forever. */
function requestTimeout(timeoutMs: number): RegistryClientMiddleware {
  return () => ({
    async prepareRequest(next) {
      const request = await next();
      return request.timeout() ? request : request.enhance({ timeout: timeoutMs });
    },
  });
}

// Validation is zod's job: the registry's ajv step only has to accept what zod accepted.
const alwaysValid = Object.assign(() => true, { errors: null });
const acceptAll = { compile: () => alwaysValid, addSchema: () => undefined } as unknown as NonNullable<
  JsonOptions['ajvInstance']
>;

/**
 * fetch says only `fetch failed`; what failed (a certificate not trusted, a refused connection)
 * is in its cause, and belongs in the message an operator reads.
 */
function fetchFailureOf(error: unknown): string {
  const message = (error as Error).message;
  const cause = (error as { cause?: { message?: unknown } }).cause;
  return cause && typeof cause.message === 'string' && cause.message !== message ? `${message}: ${cause.message}` : message;
}

function formatIssue(issue: z.core.$ZodIssue): string {
  return `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`;
}
