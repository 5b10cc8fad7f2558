import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  decideBuild,
  hasBuildOutput,
  hashBuildInputs,
  isBuildInput,
  listBuildInputs,
  readBuildStamp,
  SERVER_OUTFILE,
  STAMP_FILE,
  writeBuildStamp,
} from "@/server/build-stamp";

let root: string;
const write = (file: string, content: string) => {
  fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  fs.writeFileSync(path.join(root, file), content);
};

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "portico-build-stamp-"));
  write("package.json", "{}");
  write("app/page.tsx", "export default function Page() {}");
  write("lib/tickets/open-ticket.ts", "export const a = 1;");
  write("lib/tickets/open-ticket.test.ts", "test");
  write("public/robots.txt", "User-agent: *");
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

describe("isBuildInput", () => {
  it("counts the app's sources, migrations, public files and build config", () => {
    for (const file of [
      "app/staff/page.tsx",
      "components/ui/button.tsx",
      "lib/tickets/open-ticket.ts",
      "db/schema.ts",
      "drizzle/0001_init.sql",
      "public/favicon.svg",
      "package-lock.json",
      "next.config.ts",
      "instrumentation.ts",
    ])
      expect(isBuildInput(file), file).toBe(true);
  });

  it("leaves out tests, test tooling, docs and generated files", () => {
    for (const file of [
      "lib/tickets/open-ticket.test.ts",
      "lib/osticket/api.int.test.ts",
      "testing/builders.ts",
      "tools/bench/run.ts",
      "e2e/staff.spec.ts",
      "docs/api.md",
      "README.md",
      "next-env.d.ts",
      "tsconfig.tsbuildinfo",
      "app/.page.tsx.swp",
      ".next/BUILD_ID",
    ])
      expect(isBuildInput(file), file).toBe(false);
  });
});

describe("hashBuildInputs", () => {
  it("lists only build inputs", () => {
    expect(listBuildInputs(root)).toEqual([
      "app/page.tsx",
      "lib/tickets/open-ticket.ts",
      "package.json",
      "public/robots.txt",
    ]);
  });

  it("is the same for the same sources", () => {
    expect(hashBuildInputs(root)).toBe(hashBuildInputs(root));
  });

  it("changes when a source is edited, added, removed or renamed", () => {
    const seen = new Set([hashBuildInputs(root)]);
    write("lib/tickets/open-ticket.ts", "export const a = 2;");
    seen.add(hashBuildInputs(root));
    write("app/staff/page.tsx", "export default function Staff() {}");
    seen.add(hashBuildInputs(root));
    fs.rmSync(path.join(root, "public/robots.txt"));
    seen.add(hashBuildInputs(root));
    fs.renameSync(
      path.join(root, "app/staff/page.tsx"),
      path.join(root, "app/staff/layout.tsx"),
    );
    seen.add(hashBuildInputs(root));
    expect(seen.size).toBe(5);
  });

  it("does not change when only tests or docs change", () => {
    const before = hashBuildInputs(root);
    write("lib/tickets/open-ticket.test.ts", "another test");
    write("testing/builders.ts", "export {}");
    write("docs/api.md", "# API");
    write("README.md", "# Portico");
    expect(hashBuildInputs(root)).toBe(before);
  });
});

describe("decideBuild", () => {
  const stamp = { sources: "abc", builtAt: "2026-01-02T03:04:05.000Z" };

  it("builds when there is no build yet, even with a matching stamp", () => {
    expect(decideBuild("abc", null, false).build).toBe(true);
    expect(decideBuild("abc", stamp, false)).toEqual({
      build: true,
      reason: "there is no complete build yet",
    });
  });

  it("builds when the output has no stamp (made by `next build` alone)", () => {
    expect(decideBuild("abc", null, true).build).toBe(true);
  });

  it("builds when the sources changed, and skips the build when they did not", () => {
    expect(decideBuild("def", stamp, true)).toEqual({
      build: true,
      reason: "the sources changed since the build of 2026-01-02T03:04:05.000Z",
    });
    expect(decideBuild("abc", stamp, true)).toEqual({
      build: false,
      reason:
        "the sources are unchanged since the build of 2026-01-02T03:04:05.000Z",
    });
  });
});

describe("the stamp on disk", () => {
  const buildEverything = () => {
    write(".next/BUILD_ID", "x");
    write(SERVER_OUTFILE, "// server");
    writeBuildStamp(root, {
      sources: hashBuildInputs(root),
      builtAt: new Date().toISOString(),
    });
  };
  const decision = () =>
    decideBuild(
      hashBuildInputs(root),
      readBuildStamp(root),
      hasBuildOutput(root),
    );

  it("skips the next start after a build, until a source changes", () => {
    expect(decision().build).toBe(true);
    buildEverything();
    expect(decision().build).toBe(false);
    write("lib/tickets/open-ticket.test.ts", "a test changed");
    expect(decision().build).toBe(false);
    write("app/page.tsx", "export default function Page() { return 1; }");
    expect(decision().build).toBe(true);
  });

  it("builds again when the compiled server is missing", () => {
    buildEverything();
    fs.rmSync(path.join(root, SERVER_OUTFILE));
    expect(decision().build).toBe(true);
  });

  it("treats an unreadable stamp as none", () => {
    buildEverything();
    write(STAMP_FILE, "{not json");
    expect(readBuildStamp(root)).toBeNull();
    expect(decision().build).toBe(true);
    write(STAMP_FILE, JSON.stringify({ sources: 42 }));
    expect(readBuildStamp(root)).toBeNull();
  });
});
