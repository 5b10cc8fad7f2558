import { describe, expect, it } from "vitest";
import { storableText, wellFormed } from "@/lib/text";

describe("storable text", () => {
  it("replaces lone surrogates, keeps pairs", () => {
    expect(wellFormed("a\ud800b\udc00c😀")).toBe("a\ufffdb\ufffdc😀");
    expect(wellFormed("end\ud83d")).toBe("end\ufffd");
  });

  it("replaces NUL too, and leaves other text alone", () => {
    expect(storableText("a\u0000b\ud800")).toBe("a\ufffdb\ufffd");
    expect(storableText("tab\tnew\nline Zoë")).toBe("tab\tnew\nline Zoë");
  });
});
