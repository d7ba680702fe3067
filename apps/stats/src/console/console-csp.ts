/**
 * Content-Security-Policy of the console's pages: everything from this origin only, nothing
 * inline. The bundle is built ahead (`npm run build`), so no script, style, font or image comes
 * from elsewhere, and the page talks to nothing but this service's API (`connect-src 'self'`).
 * Stricter than the API's helmet default (which allows inline styles and https: fonts).
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');
