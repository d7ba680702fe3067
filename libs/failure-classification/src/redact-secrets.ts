/** Failure messages travel in Kafka headers and dashboards: long enough to diagnose, no longer. */
export const DEFAULT_MAX_FAILURE_MESSAGE_LENGTH = 500;

export const REDACTED = '[REDACTED]';

// A parameter or field whose name contains one of these words carries a credential.
const SECRET_NAME = String.raw`[\w.-]*(?:token|key|secret|passw(?:or)?d|pwd|auth|signature|credential|session)[\w.-]*`;

const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]+@/gi;
const SECRET_PARAMETER = new RegExp(String.raw`(^|[?&;\s,])(${SECRET_NAME})=([^&#\s,;]*)`, 'gi');
const SECRET_JSON_FIELD = new RegExp(String.raw`("${SECRET_NAME}"\s*:\s*)"(?:[^"\\]|\\.)*"`, 'gi');
const AUTHORIZATION_VALUE = /\b(Bearer|Basic)\s+[\w.~+/=-]+/gi;

/**
 * Removes credentials from text that may end up in logs, headers or dead letters: user:password
 * in URLs, `name=value` pairs (query strings, form bodies) and JSON fields whose name looks like
 * token/key/secret/password/auth, and Bearer/Basic credentials.
 */
export function redactSecrets(text: string): string {
  return text
    .replace(URL_CREDENTIALS, '$1')
    .replace(SECRET_PARAMETER, `$1$2=${REDACTED}`)
    .replace(SECRET_JSON_FIELD, `$1"${REDACTED}"`)
    .replace(AUTHORIZATION_VALUE, `$1 ${REDACTED}`);
}

/**
 * A failure message from arbitrary text: redacted, whitespace collapsed, cut to `maxLength`
 * characters (default {@link DEFAULT_MAX_FAILURE_MESSAGE_LENGTH}). Redaction comes before the cut
 * so that a cut can never leave half a secret behind an unrecognisable prefix.
 */
export function toFailureMessage(text: string, maxLength: number = DEFAULT_MAX_FAILURE_MESSAGE_LENGTH): string {
  const clean = redactSecrets(text).replace(/\s+/g, ' ').trim();
  return clean.length <= maxLength ? clean : `${clean.slice(0, Math.max(0, maxLength - 1))}…`;
}
