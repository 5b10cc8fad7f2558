import type { Db } from "@/db/types";
import { ingestMail, type IngestOutcome } from "@/lib/mail-ingest/ingest";

/** A plain-text mail as the support mailbox would receive it: header lines, a blank line, the body. */
export function rawMail(headers: string[], body: string): Uint8Array {
  return new TextEncoder().encode(
    [
      ...headers,
      "Date: Mon, 02 Mar 2026 08:55:00 +0000",
      "Content-Type: text/plain; charset=utf-8",
      "",
      body,
      "",
    ].join("\r\n"),
  );
}

/** Runs one mail through ingestion as the support mailbox's reader would, with the usual rules. */
export function receiveMail(
  db: Db,
  headers: string[],
  body: string,
  now = new Date(),
): Promise<IngestOutcome> {
  return ingestMail(
    db,
    rawMail(headers, body),
    { receivingAddress: "support@portico.test" },
    { systemAddresses: [], now, recordRefusals: true, unknownSenders: "hold" },
  );
}
