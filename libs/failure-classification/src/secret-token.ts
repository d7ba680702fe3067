/** What stands in for a removed secret, in failure messages and logged URLs. */
export const REDACTED = '[REDACTED]';

/** At least this many characters before a run of token characters can be a generated secret. */
export const MIN_SECRET_TOKEN_LENGTH = 20;

// Base64, base64url and hex alphabets; `=` only as trailing padding, so `name=value` splits.
const TOKEN_RUN = new RegExp(
  String.raw`(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{${String(MIN_SECRET_TOKEN_LENGTH)},}={0,2}(?![A-Za-z0-9+/_=-])`,
  'g',
);

/**
 * Whether a run of base64/hex characters looks generated (an API key, a signature, a JWT part)
 * rather than written (a word, an identifier, a file path, a dated id):
 *
 *   32+ hex digits                                  8f14e45fceea167a5a36dedd4bea2543    secret
 *   digits and letters, mixed case                  sk_live_4eC39HqLyjWDarjtT1zdp7dc    secret
 *   digits and letters, one case, no separator      AKIAIOSFODNN7EXAMPLE                secret
 *   digits and letters, one case, with / _ or -     portfolio-2026-11-22-report, UUIDs  kept
 *   no digit, mixed case, no separator, 32+ chars   (base64 that happens to lack digits) secret
 *   anything else                                   UND_ERR_CONNECT_TIMEOUT             kept
 */
export function isSecretToken(run: string): boolean {
  if (run.length < MIN_SECRET_TOKEN_LENGTH) return false;
  if (/^[0-9a-fA-F]{32,}$/.test(run)) return true;
  const hasDigit = /\d/.test(run);
  const hasUpper = /[A-Z]/.test(run);
  const hasLower = /[a-z]/.test(run);
  const mixedCase = hasUpper && hasLower;
  const separated = /[/_-]/.test(run);
  if (hasDigit && (hasUpper || hasLower)) return mixedCase || !separated;
  return mixedCase && !separated && run.length >= 32;
}

/** Replaces every run that {@link isSecretToken} flags with {@link REDACTED}. */
export function redactSecretTokens(text: string): string {
  return text.replace(TOKEN_RUN, (run) => (isSecretToken(run) ? REDACTED : run));
}
