import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isOsTicketPath, sendWithContentLength } from "@/server/content-length";

// A server that answers the way Next's route handler plumbing does: headers, writeHead, an early
// flushHeaders, then the body in chunks.
let server: Server;
let base: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    const api = isOsTicketPath(req.url);
    if (api) sendWithContentLength(res);
    res.setHeader("content-type", "text/html; charset=UTF-8");
    if (api) res.flushHeaders();
    res.writeHead(201, { status: "201 Created" });
    res.write(Buffer.from("2280"));
    res.write("03", "utf8", () => {});
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

describe("sendWithContentLength", () => {
  it("sends osTicket API answers whole, with their Content-Length", async () => {
    const res = await fetch(`${base}/api/tickets.json`, { method: "POST" });
    expect(res.status).toBe(201);
    expect(res.headers.get("content-length")).toBe("6");
    expect(res.headers.get("transfer-encoding")).toBeNull();
    expect(res.headers.get("status")).toBe("201 Created");
    expect(await res.text()).toBe("228003");
  });

  it("leaves every other path streaming", async () => {
    const res = await fetch(`${base}/api/health`);
    expect(res.headers.get("transfer-encoding")).toBe("chunked");
    expect(await res.text()).toBe("228003");
  });

  it("knows the API's paths", () => {
    expect(isOsTicketPath("/api/tickets.email")).toBe(true);
    expect(isOsTicketPath("/api/http.php/tickets.json")).toBe(true);
    expect(isOsTicketPath("/api/staff/queue")).toBe(false);
    expect(isOsTicketPath("/tickets/123456")).toBe(false);
  });
});
