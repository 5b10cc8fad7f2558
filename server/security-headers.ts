import { randomBytes } from "node:crypto";

// The headers every answer carries, pages and API alike: next.config.ts gives them to Next, and
// Portico's server adds them to the answers it sends itself (server/direct.ts, refusals).
export const SECURITY_HEADERS: { key: string; value: string }[] = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "X-Frame-Options", value: "DENY" },
];

/** A fresh nonce for one page: 128 random bits, base64 (what Next's nonce pattern accepts). */
export function createNonce(): string {
  return randomBytes(16).toString("base64");
}

/**
 * The Content-Security-Policy of one page. Scripts run only with the page's nonce, which Next puts on
 * its own; 'strict-dynamic' lets those load the app's chunks, and nothing injected into the markup
 * runs, whatever its origin. Everything else comes from this origin only.
 */
export function contentSecurityPolicy(
  nonce: string,
  { dev = false }: { dev?: boolean } = {},
): string {
  return [
    "default-src 'self'",
    // React's development build evaluates strings to rebuild server stacks; never in production.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    // Stylesheets from this origin only (Next inlines none; its development overlay does). Style
    // attributes are in the server-rendered markup (the mailbox quota bar, recharts' containers), and
    // nonces cannot cover attributes. Browsers without the -elem/-attr directives read style-src.
    "style-src 'self' 'unsafe-inline'",
    `style-src-elem 'self'${dev ? " 'unsafe-inline'" : ""}`,
    "style-src-attr 'unsafe-inline'",
    // data: and blob: for inline mail images and the product image preview.
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** Whether an answer is a page, which needs the policy and a nonce; API answers and assets do not. */
export function isPagePath(url: string | undefined): boolean {
  const path = url ?? "/";
  return !/^\/(?:api|_next\/static)(?:\/|$)/.test(path);
}
