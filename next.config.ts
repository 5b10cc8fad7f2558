import type { NextConfig } from "next";
import {
  ATTACHMENT_MAX_MB_CEILING,
  uploadFormBodyLimit,
} from "./server/upload-limit";
import { SECURITY_HEADERS } from "./server/security-headers";

const nextConfig: NextConfig = {
  // PGlite loads its WASM and data files relative to its own package; bundling breaks that.
  serverExternalPackages: ["@electric-sql/pglite", "argon2"],
  poweredByHeader: false,
  // `next dev` only: the docs and tests use 127.0.0.1 as well as localhost.
  allowedDevOrigins: ["127.0.0.1"],
  experimental: {
    authInterrupts: true,
    // Portico's server holds each post to its form's limit before Next reads it (1 MB, or a full set
    // of attachments for a signed-in upload form: server/body-limits.ts); Next's own cap only has
    // to admit the largest that ATTACHMENT_MAX_MB allows.
    serverActions: {
      bodySizeLimit: uploadFormBodyLimit(ATTACHMENT_MAX_MB_CEILING),
    },
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
