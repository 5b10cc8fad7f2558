import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { ESLint } from "eslint";
import { beforeAll, describe, expect, it } from "vitest";

// Keeps "ESLint enforces these arrows" (docs/architecture.md) true. Each fixture in lint-fixtures/ is
// linted as if it lived at the path its header names ("// Linted as: lib/tickets/__fixture__.ts"),
// and must raise exactly the errors its "// Expect:" lines give, or none for "Expect: nothing".
// The fixtures are not .ts files, so neither tsc nor a plain `eslint .` reads them: they are
// wrong on purpose, and the rule looks only at paths, so their imports need not exist.

const root = path.resolve(import.meta.dirname, "..");
const folder = path.join(import.meta.dirname, "lint-fixtures");

type Fixture = {
  name: string;
  lintedAs: string;
  expected: string[];
  code: string;
};

function readFixture(name: string): Fixture {
  const code = readFileSync(path.join(folder, name), "utf8");
  const lintedAs = /^\/\/ Linted as: (\S+)$/m.exec(code)?.[1];
  if (!lintedAs) throw new Error(`${name}: no "// Linted as:" line`);
  const expects = [...code.matchAll(/^\/\/ Expect: (.+)$/gm)].map(
    (m) => m[1] ?? "",
  );
  if (expects.length === 0) throw new Error(`${name}: no "// Expect:" line`);
  const expected = expects.filter((e) => !e.startsWith("nothing"));
  return { name, lintedAs, expected, code };
}

const fixtures = readdirSync(folder)
  .filter((name) => name.endsWith(".fixture"))
  .sort()
  .map(readFixture);

// One instance for all: loading the config (and Next's plugins) is the slow part.
const eslint = new ESLint({ cwd: root });

describe("the layer map in eslint.config.mjs", () => {
  beforeAll(async () => {
    await eslint.calculateConfigForFile(path.join(root, "lib/env.ts"));
  }, 60_000);

  it("has fixtures, most of them forbidden imports", () => {
    expect(
      fixtures.filter((f) => f.expected.length > 0).length,
    ).toBeGreaterThanOrEqual(20);
    expect(
      fixtures.filter((f) => f.expected.length === 0).length,
    ).toBeGreaterThanOrEqual(5);
  });

  it.each(fixtures.map((f) => [f.name, f] as const))(
    "%s",
    async (_name, fixture) => {
      const [result] = await eslint.lintText(fixture.code, {
        filePath: path.join(root, fixture.lintedAs),
      });
      // Warnings count too, so a fixture cannot pass by raising something else.
      const raised = (result?.messages ?? []).map(
        (m) => `${m.ruleId ?? "fatal"}: ${m.message}`,
      );
      expect(raised).toEqual(fixture.expected);
    },
    // The first file loads the parsers and Next's plugins, slow on a busy machine.
    30_000,
  );
});

type LayerMap = {
  LAYERS: { name: string; modules: string[] }[];
  LAYER_EXCEPTIONS: { file: string; imports: string }[];
  DB_CLIENT_IN_LIB: string[];
  FRAMEWORK_IN_LIB: string[];
  FRAMEWORK_MODULES: string[];
  DB_DOMAIN_EXCEPTIONS: string[];
};

/** What a file imports, as repo-relative modules ("lib/env") or package names ("next/cache"). */
function importsOf(file: string): string[] {
  const code = readFileSync(path.join(root, file), "utf8");
  const specifiers = [
    ...code.matchAll(/(?:from|import)\s*\(?\s*"([^"]+)"/g),
  ].map((m) => m[1] ?? "");
  return specifiers.map((s) => {
    if (s.startsWith("@/")) return s.slice(2);
    if (s.startsWith("."))
      return path.relative(
        root,
        path.resolve(path.dirname(path.join(root, file)), s),
      );
    return s;
  });
}

// An exception nobody needs any more is a hole in the map: remove it from the list.
describe("the named exceptions in eslint.config.mjs", async () => {
  const { layerMap } = (await import(path.join(root, "eslint.config.mjs"))) as {
    layerMap: LayerMap;
  };

  it.each(layerMap.LAYER_EXCEPTIONS.map((e) => [e.file, e.imports] as const))(
    "%s still imports %s",
    (file, module) => {
      expect(
        importsOf(file).some((m) => m === module || m.startsWith(`${module}/`)),
      ).toBe(true);
    },
  );

  it.each(layerMap.DB_CLIENT_IN_LIB)("%s still opens the database", (file) => {
    expect(importsOf(file)).toContain("db/client");
  });

  it.each(layerMap.FRAMEWORK_IN_LIB)(
    "%s still needs Next's request state",
    (file) => {
      expect(
        importsOf(file).some((m) => layerMap.FRAMEWORK_MODULES.includes(m)),
      ).toBe(true);
    },
  );

  it.each(layerMap.DB_DOMAIN_EXCEPTIONS)(
    "%s still imports a lib domain",
    (file) => {
      const core = layerMap.LAYERS[0]?.modules ?? [];
      const domains = importsOf(file).filter(
        (m) =>
          /^lib\/[^/]+\//.test(m) &&
          !core.some((c) => m === c || m.startsWith(`${c}/`)),
      );
      expect(domains).not.toEqual([]);
    },
  );
});

// The drawing in docs/architecture.md is the same map: each domain's folder on its layer's row.
describe("the layer map in docs/architecture.md", async () => {
  const { layerMap } = (await import(path.join(root, "eslint.config.mjs"))) as {
    layerMap: LayerMap;
  };
  const doc = readFileSync(path.join(root, "docs/architecture.md"), "utf8");
  const rows = layerMap.LAYERS.flatMap((layer, level) =>
    layer.modules
      // The core and the vendor clients are drawn as lists of files; these rows name folders.
      .filter((m) => level >= 2 && /^lib\/[^/]+$/.test(m))
      .map((m) => [m, level, m.slice("lib/".length)] as const),
  );

  it.each(rows)("draws %s on layer %i", (_module, level, folder) => {
    const row = new RegExp(`^ ${level}  .*(?<![\\w-])${folder}(?![\\w-])`, "m");
    expect(doc).toMatch(row);
  });
});
