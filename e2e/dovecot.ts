// Run by playwright.config.ts as a web server: a throw-away Dovecot (IMAP) for the e2e runs.
// Usage: tsx e2e/dovecot.ts <port> <user> <password>; stops Dovecot and removes its directory on SIGTERM/SIGINT.
import { startDovecot } from "../testing/dovecot";

const [port, user, password] = process.argv.slice(2);
if (!port || !user || !password)
  throw new Error("usage: tsx e2e/dovecot.ts <port> <user> <password>");
const dovecot = await startDovecot({
  port: Number(port),
  users: [{ user, password }],
});
console.log(`Dovecot (IMAP) listening on ${dovecot.port} for ${user}`);
// Dovecot's child process is unref'd by design, so keep this process alive ourselves.
const keepAlive = setInterval(() => {}, 1 << 30);
let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  void dovecot.stop().finally(() => {
    clearInterval(keepAlive);
    process.exit(0);
  });
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
