// Run by playwright.config.ts as a web server: the in-process fake Mailcow (testing/mailcow/fake.ts)
// behind a switch, so a journey can take "Mailcow" down and bring it back.
// Usage: tsx --conditions=react-server e2e/mailcow.ts <port> <control port> <domain> <api key>
//   <port>          what Portico's MAILCOW_API_URL points at
//   <control port>  POST /down, POST /up, POST /check-password {"address","password"} → {"ok"},
//                   POST /alias {"address"} (an alias Mailcow then refuses as a mailbox name),
//                   GET /mailbox?address=… → the fake's record (or 404)
import http from "node:http";
import net from "node:net";
import { startFakeMailcow } from "../testing/mailcow/fake";

const [port, controlPort, domain, apiKey] = process.argv.slice(2);
if (!port || !controlPort || !domain || !apiKey)
  throw new Error(
    "usage: tsx --conditions=react-server e2e/mailcow.ts <port> <control port> <domain> <api key>",
  );

const fake = await startFakeMailcow({
  domain,
  apiKey,
  maxMailboxes: 10_000,
  totalQuotaMib: 100 * 1024 * 1024,
});
const target = new URL(fake.url);
let down = false;
// Open conversations: Portico's HTTP client keeps connections alive, and "down" must end those too.
const open = new Set<net.Socket>();

// "Down" is a refused conversation: the connection is dropped before any answer, as when the
// Mailcow host's nginx is gone.
const front = net.createServer((socket) => {
  if (down) {
    socket.destroy();
    return;
  }
  const upstream = net.connect(Number(target.port), target.hostname);
  socket.pipe(upstream).pipe(socket);
  open.add(socket);
  const close = () => {
    open.delete(socket);
    socket.destroy();
    upstream.destroy();
  };
  socket.on("close", close);
  socket.on("error", close);
  upstream.on("error", close);
});
front.listen(Number(port), "127.0.0.1");

const json = (res: http.ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { "Content-Type": "application/json" });
  res.end(JSON.stringify(body));
};
const control = http.createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://control");
  let body = "";
  req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
  req.on("end", () => {
    if (req.method === "POST" && url.pathname === "/down") {
      down = true;
      for (const socket of open) socket.destroy();
      open.clear();
      return json(res, 200, { down });
    }
    if (req.method === "POST" && url.pathname === "/up") {
      down = false;
      return json(res, 200, { down });
    }
    if (req.method === "POST" && url.pathname === "/check-password") {
      const { address, password } = JSON.parse(body || "{}") as {
        address?: string;
        password?: string;
      };
      return json(res, 200, {
        ok: fake.checkPassword(address ?? "", password ?? ""),
      });
    }
    if (req.method === "POST" && url.pathname === "/alias") {
      const { address } = JSON.parse(body || "{}") as { address?: string };
      fake.state.aliases.add((address ?? "").toLowerCase());
      return json(res, 200, { aliases: fake.state.aliases.size });
    }
    if (req.method === "GET" && url.pathname === "/mailbox") {
      const found = fake.state.mailboxes.get(
        (url.searchParams.get("address") ?? "").toLowerCase(),
      );
      if (!found) return json(res, 404, { error: "no such mailbox" });
      // The hash stays in the fake; journeys ask /check-password instead.
      return json(res, 200, { ...found, passwordSha256: undefined });
    }
    json(res, 404, { error: "unknown control route" });
  });
});
control.listen(Number(controlPort), "127.0.0.1");
console.log(`Fake Mailcow for ${domain} on ${port} (control ${controlPort})`);

const stop = () => {
  front.close();
  control.close();
  void fake.close().finally(() => process.exit(0));
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
