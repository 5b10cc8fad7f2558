import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { getDbHandle } from "@/db/client";
import { runMigrations } from "@/db/migrate";
import { closeAppDatabase } from "@/testing/app-db";
import { buildUser } from "@/testing/builders";
import { setTestEnv } from "@/testing/env";
import { GET } from "./route";

async function resetDb(env: Record<string, string | undefined>) {
  await closeAppDatabase();
  setTestEnv(env);
}

afterEach(() => resetDb({ DATABASE_URL: undefined, PGLITE_DIR: undefined }));

describe("GET /api/health", () => {
  it("answers 200 with the database status, and whether setup is still required", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portico-health-"));
    await resetDb({
      DATABASE_URL: undefined,
      PGLITE_DIR: path.join(dir, "db"),
    });
    const handle = await getDbHandle();
    await runMigrations(handle); // as start-up does before the first request

    const fresh = await GET();
    expect(fresh.status).toBe(200);
    expect(await fresh.json()).toMatchObject({
      status: "ok",
      database: { status: "ok", driver: "pglite" },
      setup: "required",
    });

    await buildUser(handle.db, { role: "admin" });
    expect(await (await GET()).json()).toMatchObject({
      status: "ok",
      setup: "complete",
    });
    await resetDb({});
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("answers 503 when the database cannot be reached", async () => {
    await resetDb({
      DATABASE_URL: "postgres://nobody@127.0.0.1:1/none",
      NEXTAUTH_SECRET: "x".repeat(32),
    });
    const res = await GET();
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("5");
    expect(await res.json()).toEqual({
      status: "unavailable",
      database: { status: "unreachable" },
    });
  });
});
