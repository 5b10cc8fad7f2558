import { describe, expect, it } from "vitest";
import { errorChain, errorCodes, rootMessage } from "@/lib/errors";

const withCode = (message: string, code: unknown, cause?: unknown) =>
  Object.assign(new Error(message, { cause }), { code });

describe("the cause chain", () => {
  it("lists the error and its causes, outermost first", () => {
    const socket = withCode(
      "connect ECONNREFUSED 127.0.0.1:5432",
      "ECONNREFUSED",
    );
    const query = new Error("Failed query: select 1", { cause: socket });
    expect(errorChain(query)).toEqual([query, socket]);
    expect(rootMessage(query)).toBe("connect ECONNREFUSED 127.0.0.1:5432");
  });

  it("is the error alone when nothing caused it", () => {
    const e = new Error("plain");
    expect(errorChain(e)).toEqual([e]);
    expect(rootMessage(e)).toBe("plain");
    expect(errorCodes(e)).toEqual([]);
  });

  it("stops on a cycle of causes instead of hanging", () => {
    const a = new Error("a");
    const b = new Error("b", { cause: a });
    a.cause = b;
    expect(errorChain(a)).toHaveLength(5);
    expect(["a", "b"]).toContain(rootMessage(a));
    const self = withCode("self", "E1");
    self.cause = self;
    expect(errorCodes(self)).toEqual(["E1", "E1", "E1", "E1", "E1"]);
  });

  it("keeps a cause that is not an Error, and takes the message from the innermost Error", () => {
    const e = new Error("fetch failed", { cause: "socket hang up" });
    expect(errorChain(e)).toEqual([e, "socket hang up"]);
    expect(rootMessage(e)).toBe("fetch failed");
    const plainCause = new Error("outer", {
      cause: { code: "ETIMEDOUT", message: "not an Error" },
    });
    expect(errorCodes(plainCause)).toEqual(["ETIMEDOUT"]);
    expect(rootMessage(plainCause)).toBe("outer");
  });

  it("says what a thrown non-Error is", () => {
    expect(errorChain(undefined)).toEqual([]);
    expect(errorChain(null)).toEqual([]);
    expect(rootMessage("boom")).toBe("boom");
    expect(rootMessage(42)).toBe("42");
    expect(errorCodes("boom")).toEqual([]);
    expect(errorCodes(null)).toEqual([]);
  });
});

describe("error codes", () => {
  it("collects every string code along the chain, outermost first", () => {
    const inner = withCode("no such host", "ENOTFOUND");
    const driver = withCode("connection failed", "08006", inner);
    const outer = new Error("Failed query", { cause: driver });
    expect(errorCodes(outer)).toEqual(["08006", "ENOTFOUND"]);
  });

  it("skips codes that are not strings (a DOMException's number)", () => {
    const e = withCode("outer", 23, withCode("inner", "ECONNRESET"));
    expect(errorCodes(e)).toEqual(["ECONNRESET"]);
  });
});
