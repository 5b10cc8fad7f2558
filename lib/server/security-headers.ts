// The headers every answer carries, pages and API alike: next.config.ts gives them to Next, and
// Portico's server adds them to the answers it sends itself (lib/server/direct.ts).
export const SECURITY_HEADERS: { key: string; value: string }[] = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "X-Frame-Options", value: "DENY" },
];
