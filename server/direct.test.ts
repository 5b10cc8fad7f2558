import type { DirectHandler, WebhookPost } from "@/lib/direct-handler";
import { createServer, request, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { isDirectRequest, serveDirect } from "@/server/direct";

// Portico's server answering the osTicket API and the webhooks without Next: what a caller sees of the answer, and
// what the handler sees of the request.

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function serve(handler: DirectHandler): Promise<string> {
  const server = createServer(
    (req, res) => void serveDirect(req, res, handler),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(
    () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const post = (url: string) =>
  ({ method: "POST", url }) as unknown as IncomingMessage;

describe("isDirectRequest", () => {
  it("takes posts to the six URLs osTicket callers use, and Stripe's and Shopify's webhooks", () => {
    for (const url of [
      "/api/webhooks/stripe",
      "/api/webhooks/shopify",
      "/api/tickets.json",
      "/api/tickets.xml",
      "/api/tickets.email",
      "/api/http.php/tickets.json",
      "/api/http.php/tickets.xml",
      "/api/http.php/tickets.email?debug=1",
    ])
      expect(isDirectRequest(post(url)), url).toBe(true);
  });

  it("leaves every other request to Next", () => {
    for (const url of [
      "/api/tickets.json/",
      "/api/tickets.jsonx",
      "/api/tickets%2Ejson",
      "/api/http.php/tickets",
      "/api/health",
      "/tickets.json",
      "/api/webhooks/stripe/",
      "/api/webhooks/shopify/",
      "/api/webhooks/shopifyx",
    ])
      expect(isDirectRequest(post(url)), url).toBe(false);
    expect(
      isDirectRequest({
        method: "GET",
        url: "/api/tickets.json",
      } as IncomingMessage),
    ).toBe(false);
  });
});

describe("serveDirect", () => {
  it("hands the handler the request and sends its answer whole, with Next's headers", async () => {
    const base = await serve(async (req) => {
      const body = await req.text();
      return new Response(
        `${req.method} ${new URL(req.url).pathname} ${req.headers.get("x-api-key")} ${body}`,
        {
          status: 201,
          headers: [
            ["content-type", "text/html; charset=UTF-8"],
            ["status", "201 Created"],
            ["set-cookie", "a=1"],
            ["set-cookie", "b=2"],
          ],
        },
      );
    });
    const res = await fetch(`${base}/api/tickets.json?x=1`, {
      method: "POST",
      headers: { "x-api-key": "K" },
      body: "{}",
    });
    const text = "POST /api/tickets.json K {}";
    expect(res.status).toBe(201);
    expect(await res.text()).toBe(text);
    expect(res.headers.get("content-length")).toBe(String(text.length));
    expect(res.headers.get("transfer-encoding")).toBeNull();
    expect(res.headers.get("content-type")).toBe("text/html; charset=UTF-8");
    expect(res.headers.get("status")).toBe("201 Created");
    expect(res.headers.getSetCookie()).toEqual(["a=1", "b=2"]);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
  });

  it("answers a bare 500 when the handler throws", async () => {
    const base = await serve(() => Promise.reject(new Error("database gone")));
    const res = await fetch(`${base}/api/tickets.json`, { method: "POST" });
    expect(res.status).toBe(500);
    expect(await res.text()).toBe("");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("aborts the request's signal when the caller hangs up mid-body", async () => {
    let seen: (outcome: string) => void = () => {};
    const outcome = new Promise<string>((resolve) => (seen = resolve));
    const base = await serve(async (req) => {
      try {
        await req.text();
        seen("read the whole body");
      } catch {
        seen(req.signal.aborted ? "aborted" : "failed without abort");
      }
      return new Response("late");
    });
    const client = request(`${base}/api/tickets.email`, {
      method: "POST",
      headers: { "content-length": "1000" },
    });
    client.on("error", () => {});
    client.write("From: someone");
    setTimeout(() => client.destroy(), 50);
    expect(await outcome).toBe("aborted");
  });

  it("answers the webhooks from their whole body without a web Request, and the rest as before", async () => {
    const seen: string[] = [];
    const handler: DirectHandler = Object.assign(
      async (req: Request) => new Response(`web ${new URL(req.url).pathname}`),
      {
        webhook: async (post: WebhookPost) => {
          seen.push(
            `${post.path} ${post.headers.get("Stripe-Signature")} ${post.headers.get("x-missing")} ${post.body}`,
          );
          return { status: 400, body: { error: { code: "invalid_input" } } };
        },
      },
    );
    const base = await serve(handler);
    // Bytes that are not ASCII reach the webhook as the same text (signatures are over them).
    const body = '{"name":"Zoë 🎉 שלום"}';
    const res = await fetch(`${base}/api/webhooks/stripe?x=1`, {
      method: "POST",
      headers: { "stripe-signature": "t=1,v1=abc" },
      body,
    });
    expect(seen).toEqual([`/api/webhooks/stripe t=1,v1=abc null ${body}`]);
    expect(res.status).toBe(400);
    const text = '{"error":{"code":"invalid_input"}}';
    expect(await res.text()).toBe(text);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("content-length")).toBe(String(text.length));
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");

    const api = await fetch(`${base}/api/tickets.json`, { method: "POST" });
    expect(await api.text()).toBe("web /api/tickets.json");
  });

  it("answers a bare 500 when the webhook throws", async () => {
    const base = await serve(
      Object.assign(async () => new Response("web"), {
        webhook: () => Promise.reject(new Error("database gone")),
      }),
    );
    const res = await fetch(`${base}/api/webhooks/shopify`, {
      method: "POST",
      body: "{}",
    });
    expect(res.status).toBe(500);
    expect(await res.text()).toBe("");
  });
});
