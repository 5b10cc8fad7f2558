// The in-process fake SMS providers (testing/sms/) as stand-alone servers for local runs: a Twilio
// and a ClickSend with fixed development accounts, and an inbox page where a person reads the codes
// the portal sent.
// Usage: tsx --conditions=react-server e2e/sms.ts <twilio port> <clicksend port> <inbox port>
//   <twilio port>     what Portico's TWILIO_API_URL points at (http://127.0.0.1:<port>)
//   <clicksend port>  what Portico's CLICKSEND_API_URL points at
//   <inbox port>      GET /  the texts both fakes accepted, newest first (HTML)
//                     GET /messages.json  the same as JSON
//                     POST /mode {"provider":"twilio"|"clicksend","mode":"normal"|"rate_limited"|
//                       "server_error"|"hang"|"no_credit","retryAfterSeconds":30}: how the next calls fail
import http from "node:http";
import { startFakeClickSend } from "../testing/sms/clicksend-fake";
import type { FakeSms, FakeSmsMode } from "../testing/sms/server";
import { startFakeTwilio } from "../testing/sms/twilio-fake";

const [twilioPort, clicksendPort, inboxPort] = process.argv.slice(2);
if (!twilioPort || !clicksendPort || !inboxPort)
  throw new Error(
    "usage: tsx --conditions=react-server e2e/sms.ts <twilio port> <clicksend port> <inbox port>",
  );

const DEV_FROM = "+15005550006";
const twilio = await startFakeTwilio({
  port: Number(twilioPort),
  accountSid: `AC${"0".repeat(31)}1`,
  authToken: "portico-dev-twilio-token",
});
const clicksend = await startFakeClickSend({
  port: Number(clicksendPort),
  username: "portico-dev",
  apiKey: "portico-dev-clicksend-key",
});

type Received = FakeSms & { provider: "twilio" | "clicksend" };
const received = (): Received[] =>
  [
    ...twilio.messages.map((m) => ({ ...m, provider: "twilio" as const })),
    ...clicksend.messages.map((m) => ({
      ...m,
      provider: "clicksend" as const,
    })),
  ].sort((a, b) => b.at.getTime() - a.at.getTime());

const SHARED_MODES: readonly string[] = [
  "normal",
  "rate_limited",
  "server_error",
  "hang",
] satisfies FakeSmsMode[];
const isSharedMode = (mode: string): mode is FakeSmsMode =>
  SHARED_MODES.includes(mode);

const escape = (text: string) =>
  text.replace(
    /[&<>"]/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] ?? c,
  );

function inboxPage(): string {
  const rows = received()
    .map(
      (m) =>
        `<tr><td>${m.at.toISOString()}</td><td>${m.provider}</td><td>${escape(m.to)}</td><td>${escape(m.body)}</td></tr>`,
    )
    .join("\n");
  return `<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="5">
<title>Fake SMS inbox</title>
<h1>Texts the fake providers accepted</h1>
<table border="1" cellpadding="4"><tr><th>When (UTC)</th><th>Provider</th><th>To</th><th>Message</th></tr>
${rows || '<tr><td colspan="4">Nothing yet.</td></tr>'}
</table>`;
}

const inbox = http.createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://inbox");
  let body = "";
  req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
  req.on("end", () => {
    if (req.method === "GET" && url.pathname === "/") {
      res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
      return res.end(inboxPage());
    }
    if (req.method === "GET" && url.pathname === "/messages.json") {
      res.writeHead(200, { "Content-Type": "application/json" });
      return res.end(JSON.stringify(received()));
    }
    if (req.method === "POST" && url.pathname === "/mode") {
      const asked = JSON.parse(body || "{}") as {
        provider?: string;
        mode?: string;
        retryAfterSeconds?: number;
      };
      const mode = asked.mode ?? "normal";
      const options = { retryAfterSeconds: asked.retryAfterSeconds };
      const known = isSharedMode(mode) || mode === "no_credit";
      if (asked.provider === "clicksend" && known)
        clicksend.setMode(mode, options);
      else if (asked.provider === "twilio" && isSharedMode(mode))
        twilio.setMode(mode, options);
      else {
        res.writeHead(400, { "Content-Type": "application/json" });
        return res.end(JSON.stringify({ error: "unknown provider or mode" }));
      }
      res.writeHead(200, { "Content-Type": "application/json" });
      return res.end(JSON.stringify({ provider: asked.provider, mode }));
    }
    res.writeHead(404, { "Content-Type": "application/json" });
    res.end(JSON.stringify({ error: "unknown route" }));
  });
});
inbox.listen(Number(inboxPort), "127.0.0.1");

console.log(
  [
    `Fake Twilio on ${twilio.url}, fake ClickSend on ${clicksend.url}; texts at http://127.0.0.1:${inboxPort}/`,
    "Set one of:",
    `  SMS_PROVIDER=twilio TWILIO_API_URL=${twilio.url} TWILIO_ACCOUNT_SID=${twilio.accountSid} TWILIO_AUTH_TOKEN=${twilio.authToken} TWILIO_FROM=${DEV_FROM}`,
    `  SMS_PROVIDER=clicksend CLICKSEND_API_URL=${clicksend.url} CLICKSEND_USERNAME=${clicksend.username} CLICKSEND_API_KEY=${clicksend.apiKey}`,
  ].join("\n"),
);

const stop = () => {
  inbox.close();
  void Promise.all([twilio.close(), clicksend.close()]).finally(() =>
    process.exit(0),
  );
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
