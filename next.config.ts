import type { NextConfig } from "next";
import { SECURITY_HEADERS } from "./lib/server/security-headers";

const nextConfig: NextConfig = {
  // PGlite loads its WASM and data files relative to its own package; bundling breaks that.
  serverExternalPackages: ["@electric-sql/pglite", "argon2"],
  poweredByHeader: false,
  // `next dev` only: the docs and tests use 127.0.0.1 as well as localhost.
  allowedDevOrigins: ["127.0.0.1"],
  experimental: {
    authInterrupts: true,
    // Ticket forms carry attachments (ATTACHMENT_MAX_MB each, up to 10 a message).
    serverActions: { bodySizeLimit: "100mb" },
  },
  async headers() {
    return [
      {
        source: "/:path*",
        headers: SECURITY_HEADERS,
      },
    ];
  },
};

export default nextConfig;
