import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPostgres } from "@/db/open";
import { startFakeShopify } from "@/testing/shopify/fake";

// `npm run cli` as an operator runs it, in its own process, against an empty database: the embedded
// one in a temp dir, or a new PostgreSQL database on the CI's second pass.

const APP = "https://help.acme.example";
let dbEnv: Record<string, string>;
let cleanUp: () => Promise<void>;

beforeAll(async () => {
  if (process.env.TEST_DRIVER !== "postgres") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portico-cli-"));
    dbEnv = { DATABASE_URL: "", PGLITE_DIR: path.join(dir, "db") };
    cleanUp = async () => fs.rmSync(dir, { recursive: true, force: true });
    return;
  }
  const server = process.env.TEST_DATABASE_URL!;
  const name = `portico_test_${randomBytes(6).toString("hex")}`;
  const admin = await openPostgres(server, { max: 1 });
  await admin.db.execute(`create database ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  dbEnv = { DATABASE_URL: url.toString() };
  cleanUp = async () => {
    await admin.db.execute(`drop database if exists ${name} with (force)`);
    await admin.close();
  };
});

afterAll(() => cleanUp());

function cli(
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  return cliWith({}, ...args);
}

function cliWith(
  extraEnv: Record<string, string>,
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      path.join(process.cwd(), "node_modules/.bin/tsx"),
      ["--conditions=react-server", "tools/cli/main.ts", ...args],
      {
        env: {
          ...process.env,
          ...dbEnv,
          NEXTAUTH_URL: APP,
          LOG_LEVEL: "info",
          SHOPIFY_SHOP_DOMAIN: "",
          ...extraEnv,
        },
        timeout: 60_000,
      },
      (error, stdout, stderr) =>
        resolve({
          code: error ? Number(error.code ?? 1) : 0,
          stdout,
          stderr,
        }),
    );
  });
}

describe("npm run cli", () => {
  it("sets up once, printing only the set-password link on stdout, then refuses in one line", async () => {
    const first = await cli(
      "setup",
      "--email",
      "olga@acme.example",
      "--name",
      "Olga Ops",
      "--company",
      "Acme Hosting",
      "--support-address",
      "help@acme.example",
    );
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(
      new RegExp(`^${APP}/reset-password/[\\w-]{40,}\\n$`),
    );
    expect(first.stderr).toContain('department "Support"');
    // Not in any log line: the link is the operator's alone.
    const token = first.stdout.trim().split("/").pop()!;
    expect(first.stderr).not.toContain(token);

    const again = await cli(
      "setup",
      "--email",
      "other@acme.example",
      "--name",
      "Other",
    );
    expect(again.code).toBe(1);
    expect(again.stdout).toBe("");
    expect(again.stderr.trim().split("\n")).toEqual([
      expect.stringMatching(/^Error: Portico is already set up: [^.]+\.$/),
    ]);

    const reset = await cli(
      "admin",
      "reset-password",
      "--email",
      "OLGA@acme.example",
    );
    expect(reset.code, reset.stderr).toBe(0);
    expect(reset.stdout).toMatch(
      new RegExp(`^${APP}/reset-password/[\\w-]{40,}\\n$`),
    );
    expect(reset.stdout).not.toBe(first.stdout);
  }, 120_000); // three processes, each opening and migrating the database

  it("names the flag to fix", async () => {
    const bad = await cli("admin", "create", "--email", "not-an-address");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^Error: --name: .+; --email: .+/);
    expect(bad.stdout).toBe("");
  }, 60_000);
});

describe("npm run cli -- shopify", () => {
  it("says in one line that Shopify is not configured", async () => {
    const run = await cli("shopify", "import-orders");
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr.trim()).toMatch(
      /^Error: Shopify is not configured: set SHOPIFY_SHOP_DOMAIN .+\.$/,
    );
  }, 60_000);

  it("imports the store's orders and products, with progress on stderr and a summary on stdout", async () => {
    const fake = await startFakeShopify();
    try {
      for (let i = 0; i < 3; i++)
        fake.addOrder({ email: `buyer${i}@example.com` });
      fake.addProduct({ title: "Mug", variants: [{ price: "12.50" }] });
      const shopEnv = {
        SHOPIFY_SHOP_DOMAIN: fake.shopDomain,
        SHOPIFY_ADMIN_ACCESS_TOKEN: fake.adminAccessToken,
        SHOPIFY_API_SECRET: fake.clientSecret,
        SHOPIFY_API_URL: fake.url,
      };
      const orders = await cliWith(shopEnv, "shopify", "import-orders");
      expect(orders.code, orders.stderr).toBe(0);
      expect(orders.stdout).toMatch(/^Done: 3 orders read from Shopify, 3 new/);
      expect(orders.stderr).toContain("3 orders imported");
      expect(orders.stderr).toContain("last 60 days");

      const products = await cliWith(shopEnv, "shopify", "import-products");
      expect(products.code, products.stderr).toBe(0);
      expect(products.stdout).toMatch(
        /^Done: 1 products read from Shopify, 1 new/,
      );

      const bad = await cliWith(
        shopEnv,
        "shopify",
        "import-orders",
        "--since",
        "yesterday",
      );
      expect(bad.code).toBe(1);
      expect(bad.stderr).toMatch(
        /^Error: --since: use a date such as 2026-01-01/,
      );
    } finally {
      await fake.close();
    }
  }, 180_000);
});
