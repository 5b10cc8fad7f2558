import { describe, expect, it } from "vitest";
import { percentile } from "@/lib/bench/measure";
import { replaceSection } from "@/lib/bench/report";

describe("replaceSection", () => {
  it("starts the document when there is none", () => {
    const doc = replaceSection(null, "queue", "## Queue\n\nfast");
    expect(doc).toMatch(/^# Benchmarks\n/);
    expect(doc).toContain(
      "<!-- bench:queue -->\n## Queue\n\nfast\n<!-- /bench:queue -->\n",
    );
  });

  it("rewrites only its own section and keeps the others", () => {
    const before = [
      "# Benchmarks",
      "",
      "<!-- bench:api -->\nAPI numbers\n<!-- /bench:api -->",
      "",
      "<!-- bench:queue -->\nold\n<!-- /bench:queue -->",
      "",
      "<!-- bench:mail -->\nMail numbers\n<!-- /bench:mail -->",
      "",
    ].join("\n");
    const after = replaceSection(before, "queue", "new");
    expect(after).toBe(before.replace("\nold\n", "\nnew\n"));
  });

  it("appends a section the document does not have yet", () => {
    const before =
      "# Benchmarks\n\n<!-- bench:api -->\nA\n<!-- /bench:api -->\n";
    expect(replaceSection(before, "queue", "Q")).toBe(
      `${before}\n<!-- bench:queue -->\nQ\n<!-- /bench:queue -->\n`,
    );
  });
});

describe("percentile", () => {
  const samples = Array.from({ length: 100 }, (_, i) => i + 1); // 1..100

  it("uses the nearest rank", () => {
    expect(percentile(samples, 50)).toBe(50);
    expect(percentile(samples, 95)).toBe(95);
    expect(percentile(samples, 100)).toBe(100);
    expect(percentile([7, 9, 30], 95)).toBe(30);
    expect(percentile([7], 50)).toBe(7);
  });
});
