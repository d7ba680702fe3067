import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { FailureProfileError } from './errors/failure-profile-error';
import { FailureProfileSchema, type FailureProfile, type FailureProfileInput } from './failure-profile.schema';
import { PRESET_INPUTS, PRESET_NAMES, isPresetName } from './failure-profile-presets';

/**
 * A profile input that may start from a preset: `{ "extends": "always-timeout",
 * "timeoutHoldMs": 200 }`. Fields given override the preset's, whole (a `faultMix`
 * replaces the preset's mix, it is not merged key by key).
 */
export type FailureProfileSource = FailureProfileInput & { extends?: string };

function formatIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`);
}

/**
 * Validates a profile object (from JSON, an HTTP body or a test). Throws
 * {@link FailureProfileError} naming each invalid field.
 *
 * @param input the profile, possibly with `extends: <preset>`
 * @param source where it came from, for the error message; default `inline`
 */
export function parseFailureProfile(input: unknown, source = 'inline'): FailureProfile {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new FailureProfileError(`failure profile from ${source} must be a JSON object`, source);
  }
  const { extends: base, ...overrides } = input as Record<string, unknown>;
  let merged: Record<string, unknown> = overrides;
  if (base !== undefined) {
    if (typeof base !== 'string' || !isPresetName(base)) {
      throw new FailureProfileError(
        `failure profile from ${source}: "extends" must be one of ${PRESET_NAMES.join(', ')}, got ${JSON.stringify(base)}`,
        source,
      );
    }
    merged = { ...PRESET_INPUTS[base], ...overrides };
  }
  const result = FailureProfileSchema.safeParse(merged);
  if (!result.success) {
    const issues = formatIssues(result.error);
    throw new FailureProfileError(`invalid failure profile from ${source}: ${issues.join('; ')}`, source, issues, {
      cause: result.error,
    });
  }
  return result.data;
}

/** Reads and validates a JSON profile file. */
export function loadFailureProfileFile(path: string): FailureProfile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new FailureProfileError(
      `cannot read failure profile file ${path}: ${(error as Error).message}`,
      path,
      [],
      { cause: error },
    );
  }
  return parseFailureProfile(parseJson(text, path), path);
}

function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new FailureProfileError(`failure profile from ${source} is not valid JSON: ${(error as Error).message}`, source, [], {
      cause: error,
    });
  }
}

/**
 * Turns what an operator or a test gives into a profile:
 * - a preset name (`seed`, `healthy`, `chaos`, `always-timeout`, ...);
 * - inline JSON (a string starting with `{`), handy in an environment variable;
 * - otherwise a path to a JSON file;
 * - or an object, validated as is.
 *
 * @param allowFiles false where the spec comes from the network (`POST /admin/reset`),
 *   so a request cannot make the simulator read files; default true
 */
export function resolveFailureProfile(
  spec: string | FailureProfileSource,
  allowFiles = true,
): FailureProfile {
  if (typeof spec !== 'string') {
    return parseFailureProfile(spec);
  }
  const trimmed = spec.trim();
  if (isPresetName(trimmed)) {
    return parseFailureProfile(PRESET_INPUTS[trimmed], `preset ${trimmed}`);
  }
  if (trimmed.startsWith('{')) {
    return parseFailureProfile(parseJson(trimmed, 'inline JSON'), 'inline JSON');
  }
  if (!allowFiles || trimmed.length === 0) {
    throw new FailureProfileError(
      `unknown failure profile preset ${JSON.stringify(spec)} (presets: ${PRESET_NAMES.join(', ')})`,
      spec,
    );
  }
  if (!existsSync(trimmed)) {
    throw new FailureProfileError(
      `failure profile ${JSON.stringify(spec)} is neither a preset (${PRESET_NAMES.join(', ')}) nor an existing file`,
      spec,
    );
  }
  return loadFailureProfileFile(trimmed);
}
