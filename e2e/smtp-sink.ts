// Run by playwright.config.ts as a second web server: the SMTP sink the app sends to during e2e runs.
// Usage: tsx e2e/smtp-sink.ts <port> <dir>; each received message lands in <dir> as an .eml file.
import { startSmtpSink } from "../testing/smtp-sink";

const [port, dir] = process.argv.slice(2);
if (!port || !dir) throw new Error("usage: tsx e2e/smtp-sink.ts <port> <dir>");
const sink = await startSmtpSink({ port: Number(port), saveTo: dir });
console.log(`SMTP sink listening on ${sink.port}, saving to ${dir}`);
process.on("SIGTERM", () => void sink.close().then(() => process.exit(0)));
