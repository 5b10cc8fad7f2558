import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

// Deletes this run's temp dir (PGlite data, storage states, received mail). The web servers are
// still up while this runs: the SMTP sink may be writing the last mail the app sent (the policy
// journey's notices) as the folder goes, so a folder that is not empty yet is tried again.
export default async function globalTeardown(): Promise<void> {
  const dir = process.env.PORTICO_E2E_TMP;
  // Only ever a dir the config made under the temp folder, never a path someone exported by mistake.
  if (
    !dir ||
    !path.basename(dir).startsWith("portico-e2e-") ||
    path.dirname(dir) !== os.tmpdir()
  )
    return;
  for (let attempt = 1; ; attempt++) {
    try {
      fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
      return;
    } catch (error) {
      // A leftover temp folder is not a failed run; say so and move on.
      if (attempt === 10) {
        console.warn(`Could not remove ${dir}: ${String(error)}`);
        return;
      }
      await sleep(300);
    }
  }
}
