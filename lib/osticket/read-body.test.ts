import { describe, expect, it } from "vitest";
import { readBodyWithLimit } from "@/lib/osticket/read-body";

// The API's body reader: within the limit it returns the bytes; past it, it stops reading and leaves the
// rest to the server, never cancelling the stream (which would reset the caller's connection).

function streamed(chunks: number[], declared?: number) {
  let pulled = 0;
  let cancelled = false;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const size = chunks[pulled++];
      if (size === undefined) controller.close();
      else controller.enqueue(new Uint8Array(size).fill(97));
    },
    cancel() {
      cancelled = true;
    },
  });
  const req = new Request("http://portico.test/api/tickets.json", {
    method: "POST",
    body,
    headers:
      declared === undefined ? {} : { "content-length": String(declared) },
    duplex: "half",
  } as RequestInit & { duplex: "half" });
  return {
    req,
    pulled: () => pulled,
    cancelled: () => cancelled,
  };
}

describe("readBodyWithLimit", () => {
  it("returns the whole body within the limit", async () => {
    const { req } = streamed([400, 600]);
    const body = await readBodyWithLimit(req, 1000);
    expect(body).toBeInstanceOf(Uint8Array);
    expect((body as Uint8Array).byteLength).toBe(1000);
  });

  it("refuses a declared length past the limit without reading or cancelling", async () => {
    const { req, pulled, cancelled } = streamed([10, 10], 5000);
    expect(await readBodyWithLimit(req, 1000)).toBe("too_large");
    expect(pulled()).toBeLessThanOrEqual(1); // a stream may pull once as it starts
    expect(cancelled()).toBe(false);
  });

  it("stops at the first chunk past the limit, leaving the rest unread and uncancelled", async () => {
    const { req, pulled, cancelled } = streamed([600, 600, 600, 600]);
    expect(await readBodyWithLimit(req, 1000)).toBe("too_large");
    expect(pulled()).toBeLessThan(4);
    expect(cancelled()).toBe(false);
    expect(req.body?.locked).toBe(false);
  });
});
