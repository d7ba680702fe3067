import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * helmet's security headers on every response (Content-Security-Policy, X-Content-Type-Options,
 * X-Frame-Options, Referrer-Policy, Strict-Transport-Security, Cross-Origin-*-Policy, ...): the API
 * serves JSON, CSV and event streams, and the docs and the coming console load their scripts and
 * styles from the same origin only. One change to helmet's defaults: no `upgrade-insecure-requests`,
 * since a service speaks plain HTTP (TLS, if any, ends at a proxy) and a browser told to upgrade
 * would fetch the docs' own scripts over https from a port that has none.
 */
export function securityHeaders(): RequestHandler {
  return helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } });
}
