import fs from "node:fs";
import os from "node:os";
import path from "node:path";

// Deletes this run's temp dir (PGlite data and storage states). The web server is stopped with
// SIGKILL right after this, so it writes nothing more there.
export default function globalTeardown(): void {
  const dir = process.env.PORTICO_E2E_TMP;
  // Only ever a dir the config made under the temp folder, never a path someone exported by mistake.
  if (
    !dir ||
    !path.basename(dir).startsWith("portico-e2e-") ||
    path.dirname(dir) !== os.tmpdir()
  )
    return;
  fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}
