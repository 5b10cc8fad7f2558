import fs from "node:fs";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";

export type SmtpSink = {
  url: string;
  port: number;
  messages: ParsedMail[];
  close: () => Promise<void>;
};

/**
 * A real SMTP server on loopback that keeps what it receives, for tests and e2e runs. With `saveTo`,
 * each message is also written there as an .eml file so another process can read it.
 */
export async function startSmtpSink(
  opts: { port?: number; saveTo?: string } = {},
): Promise<SmtpSink> {
  const messages: ParsedMail[] = [];
  if (opts.saveTo) fs.mkdirSync(opts.saveTo, { recursive: true });
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, _session, done) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks);
        if (opts.saveTo)
          fs.writeFileSync(
            path.join(opts.saveTo, `${Date.now()}-${messages.length}.eml`),
            raw,
          );
        simpleParser(raw)
          .then((mail) => {
            messages.push(mail);
            done();
          })
          .catch(done);
      });
    },
  });
  await new Promise<void>((resolve) =>
    server.listen(opts.port ?? 0, "127.0.0.1", resolve),
  );
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}?ignoreTLS=true`,
    port,
    messages,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
