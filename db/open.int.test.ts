import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openPglite } from "@/db/open";

// Two processes on one PGlite directory corrupt it silently; the lock file must stop the second.

const dirs: string[] = [];
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portico-lock-"));
  dirs.push(dir);
  return path.join(dir, "pglite");
};
afterAll(() =>
  dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })),
);

describe("embedded database lock", () => {
  it("refuses a directory held by another live process, naming it", async () => {
    const dir = tempDir();
    const holder = spawn(process.execPath, [
      "-e",
      "setTimeout(() => {}, 60000)",
    ]);
    try {
      fs.writeFileSync(`${dir}.lock`, String(holder.pid));
      await expect(openPglite(dir)).rejects.toThrow(
        `in use by process ${holder.pid}`,
      );
    } finally {
      holder.kill();
    }
  });

  it("takes over a lock left by a process that died, and releases it on close", async () => {
    const dir = tempDir();
    fs.writeFileSync(`${dir}.lock`, "999999999");
    const handle = await openPglite(dir);
    expect(fs.readFileSync(`${dir}.lock`, "utf8")).toBe(String(process.pid));
    await handle.ping();
    await handle.close();
    expect(fs.existsSync(`${dir}.lock`)).toBe(false);
  });
});
