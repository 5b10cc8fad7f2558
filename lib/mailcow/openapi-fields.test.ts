import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMailcowClient } from "@/lib/mailcow/client";
import { startFakeMailcow, type FakeMailcow } from "@/testing/mailcow/fake";

// Every field name the client sends must exist in Mailcow's OpenAPI request schema, except the
// ones docs/mailcow.md documents where that file is silent or wrong.

// A copy of Mailcow's OpenAPI file, kept in the repository so the test needs no network.
const SPEC = path.resolve(
  process.cwd(),
  "testing/fixtures/contracts/mailcow-openapi.yaml",
);

/** Fields the client sends that the OpenAPI request schema lacks, each with the reason from docs/mailcow.md. */
const NOT_IN_OPENAPI: Record<string, Record<string, string>> = {
  "add/mailbox": {
    // Not a §10 row: §10 is silent here. The OpenAPI file shows `tags` only in its example, not in
    // `properties`; §5.1 documents the field ("Portico tags its mailboxes portico") and §8 uses the tag.
    tags: "§5.1: array of strings; the `portico` tag marks mailboxes Portico created (§8).",
  },
  "edit/mailbox": {},
};

type YamlNode = { value: string; children: Map<string, YamlNode> };

/**
 * Just enough YAML for the OpenAPI file: block mappings by indentation, keeping scalar values.
 * List items and everything under them are skipped, as are multi-line scalars' contents.
 */
function parseYamlKeys(text: string): YamlNode {
  const root: YamlNode = { value: "", children: new Map() };
  const stack: { indent: number; node: YamlNode }[] = [
    { indent: -1, node: root },
  ];
  for (const line of text.split("\n")) {
    const trimmed = line.trimStart();
    if (trimmed === "" || trimmed.startsWith("#")) continue;
    const indent = line.length - trimmed.length;
    while (stack.length > 1 && (stack.at(-1)?.indent ?? -1) >= indent)
      stack.pop();
    const parent = stack.at(-1)?.node ?? root;
    const match = /^("([^"]+)"|'([^']+)'|([^\s"'#:][^:]*?)):(?:\s+(.*))?$/.exec(
      trimmed,
    );
    const node: YamlNode = { value: "", children: new Map() };
    if (trimmed.startsWith("- ") || !match) {
      // A detached node swallows list items and scalar continuation lines with their children.
      stack.push({ indent, node });
      continue;
    }
    const key = match[2] ?? match[3] ?? match[4] ?? "";
    node.value = (match[5] ?? "").replace(/^["']|["']$/g, "");
    parent.children.set(key, node);
    stack.push({ indent, node });
  }
  return root;
}

function at(node: YamlNode, ...keys: string[]): YamlNode {
  let current = node;
  for (const key of keys) {
    const next = current.children.get(key);
    if (!next) throw new Error(`OpenAPI file has no "${keys.join(" → ")}"`);
    current = next;
  }
  return current;
}

const requestSchema = (spec: YamlNode, route: string) =>
  at(
    spec,
    "paths",
    `/api/v1/${route}`,
    "post",
    "requestBody",
    "content",
    "application/json",
    "schema",
  );

let fake: FakeMailcow;
const sent = new Map<string, unknown[]>();
let spec: YamlNode;

beforeAll(async () => {
  spec = parseYamlKeys(readFileSync(SPEC, "utf8"));
  fake = await startFakeMailcow();
  const recording: typeof fetch = (input, init) => {
    const route = String(input).replace(/^.*\/api\/v1\//, "");
    if (typeof init?.body === "string")
      sent.set(route, [...(sent.get(route) ?? []), JSON.parse(init.body)]);
    return fetch(input, init);
  };
  const mailcow = createMailcowClient({
    apiUrl: fake.url,
    apiKey: fake.apiKey,
    fetch: recording,
  });
  // Every optional field set, so every name the client can send is seen.
  await mailcow.createMailbox({
    localPart: "jane.doe",
    domain: "example.net",
    name: "Jane Doe",
    password: "Blue-Kettle-42",
    quotaMb: 2048,
    activity: "active",
    forcePasswordUpdate: false,
  });
  await mailcow.editMailbox("jane.doe@example.net", {
    activity: "disabled",
    quotaMb: 1024,
    name: "Jane D.",
    password: "Green-Teapot-77",
    forcePasswordUpdate: false,
  });
  await mailcow.deleteMailbox("jane.doe@example.net");
});

afterAll(async () => {
  await fake.close();
});

const keysOf = (value: unknown) =>
  typeof value === "object" && value !== null ? Object.keys(value) : [];

describe("request fields against mailcow-openapi.yaml", () => {
  it("parses the request schemas of the mailbox routes", () => {
    expect([
      ...at(requestSchema(spec, "add/mailbox"), "properties").children.keys(),
    ]).toContain("local_part");
    expect([
      ...at(
        requestSchema(spec, "edit/mailbox"),
        "properties",
        "attr",
        "properties",
      ).children.keys(),
    ]).toContain("password2");
  });

  it("add/mailbox: every field sent is in the schema or documented as missing", () => {
    const allowed = new Set(
      at(requestSchema(spec, "add/mailbox"), "properties").children.keys(),
    );
    const bodies = sent.get("add/mailbox") ?? [];
    expect(bodies.length).toBeGreaterThan(0);
    const fields = new Set(bodies.flatMap(keysOf));
    const unknown = [...fields].filter((f) => !allowed.has(f));
    expect(unknown.sort()).toEqual(
      Object.keys(NOT_IN_OPENAPI["add/mailbox"] ?? {}).sort(),
    );
    // The exceptions really are absent from the schema, so this list cannot go stale silently.
    for (const field of Object.keys(NOT_IN_OPENAPI["add/mailbox"] ?? {}))
      expect(allowed.has(field)).toBe(false);
  });

  it("edit/mailbox: items and attr, and every attr field, are in the schema", () => {
    const schema = requestSchema(spec, "edit/mailbox");
    const top = new Set(at(schema, "properties").children.keys());
    const attrAllowed = new Set(
      at(schema, "properties", "attr", "properties").children.keys(),
    );
    const bodies = sent.get("edit/mailbox") ?? [];
    expect(bodies.length).toBeGreaterThan(0);
    for (const body of bodies) {
      for (const field of keysOf(body)) expect(top).toContain(field);
      const attr = (body as { attr?: unknown }).attr;
      const unknown = keysOf(attr).filter((f) => !attrAllowed.has(f));
      expect(unknown).toEqual(
        Object.keys(NOT_IN_OPENAPI["edit/mailbox"] ?? {}),
      );
    }
  });

  it("delete/mailbox: sends a bare array where the schema says object (§10: the schema is wrong)", () => {
    expect(at(requestSchema(spec, "delete/mailbox"), "type").value).toBe(
      "object",
    );
    expect(sent.get("delete/mailbox")).toEqual([["jane.doe@example.net"]]);
  });
});
