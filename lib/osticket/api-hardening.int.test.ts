import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attachments, ticketMessages, tickets } from "@/db/schema";
import { apiKeyCreateInput } from "@/lib/osticket/api-key-schemas";
import { createApiKey } from "@/lib/osticket/api-keys";
import { handleOsTicketCall, osTicketFormatOf } from "@/lib/osticket/api-call";
import { PEER_HEADER } from "@/lib/peer";
import { buildDepartment } from "@/testing/builders";
import { createTestDb, type TestDb } from "@/testing/db";
import { setTestEnv } from "@/testing/env";

// What the security review sent to the osTicket-compatible API and got a 500 or a stored surprise for:
// an XML document type, and attachments of any type, with any name and any content type.

const CALLER = "198.51.100.20";
const NUMBER = /^[0-9]{6}$/;
const MALFORMED_XML = { status: 400, body: "Syntax error, malformed XML" };

let t: TestDb;
let restoreEnv: () => void;
let key: string;

beforeAll(async () => {
  restoreEnv = setTestEnv({ API_RATE_LIMIT_PER_MINUTE: "0" });
  t = await createTestDb();
  await buildDepartment(t.db, { name: "Support" });
  const made = await createApiKey(
    t.db,
    { kind: "system" },
    apiKeyCreateInput.parse({
      ipAddress: CALLER,
      isActive: "on",
      canCreateTickets: "on",
    }),
  );
  if (!made.ok) throw new Error(made.error.message);
  key = made.value.key;
});

afterAll(async () => {
  restoreEnv();
  await t.close();
});

async function call(path: string, body: string) {
  const req = new Request(`http://portal.test${path}`, {
    method: "POST",
    headers: { "x-api-key": key, [PEER_HEADER]: CALLER },
    body,
  });
  const segments = path.replace(/^\/api\//, "").split("/");
  const res = await handleOsTicketCall(t.db, req, osTicketFormatOf(segments));
  return { status: res.status, body: await res.text() };
}

async function ticketCount() {
  const [row] = await t.db.select({ n: count() }).from(tickets);
  return row!.n;
}

/** The stored files and the system's internal note of the ticket a call created. */
async function createdTicket(path: string, body: string) {
  const r = await call(path, body);
  expect(r.body).toMatch(NUMBER);
  expect(r.status).toBe(201);
  const [ticket] = await t.db
    .select()
    .from(tickets)
    .where(eq(tickets.number, r.body));
  const files = await t.db
    .select({ name: attachments.filename, type: attachments.contentType })
    .from(attachments)
    .where(eq(attachments.ticketId, ticket!.id));
  const notes = await t.db
    .select({ text: ticketMessages.bodyText })
    .from(ticketMessages)
    .where(eq(ticketMessages.ticketId, ticket!.id));
  return {
    files,
    note: notes.map((n) => n.text).find((n) => n.startsWith("File Import")),
  };
}

const xmlTicket = (inner = "", prolog = "") =>
  `${prolog}<ticket><email>xml.guard@example.com</email><name>Xena Guard</name><subject>XML</subject>${inner}<message><![CDATA[Hello]]></message></ticket>`;

describe("an XML body with a document type", () => {
  it.each([
    [
      "an external entity",
      xmlTicket(
        "",
        '<!DOCTYPE ticket [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
      ),
    ],
    [
      "an internal entity",
      xmlTicket("", '<?xml version="1.0"?><!DOCTYPE ticket [<!ENTITY x "y">]>'),
    ],
    [
      "entities that expand into each other",
      xmlTicket(
        "",
        '<!DOCTYPE t [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>',
      ),
    ],
    ["an external DTD", xmlTicket("", '<!DOCTYPE t SYSTEM "http://x/t.dtd">')],
    ["a lower-case doctype", xmlTicket("", "<!doctype ticket>")],
    [
      "a DOCTYPE inside the ticket element",
      xmlTicket('<!DOCTYPE t [<!ENTITY xxe SYSTEM "file:///etc/hosts">]>'),
    ],
    ["a DOCTYPE after a comment", xmlTicket("", "<!-- hi --><!DOCTYPE t>")],
    ["a parameter entity", xmlTicket("", '<!DOCTYPE t [<!ENTITY % p "y">]>')],
  ])(
    "answers the contract's 400 for %s and creates nothing",
    async (_k, body) => {
      const before = await ticketCount();
      expect(await call("/api/tickets.xml", body)).toMatchObject(MALFORMED_XML);
      expect(await ticketCount()).toBe(before);
    },
  );

  it("still takes an HTML message that starts with its own <!DOCTYPE html>", async () => {
    const r = await call(
      "/api/tickets.xml",
      `<ticket><email>xml.html@example.com</email><name>Hana Html</name><subject>HTML</subject><message type="text/html"><![CDATA[<!DOCTYPE html><p>Hello <b>there</b></p>]]></message><!-- a comment --></ticket>`,
    );
    expect(r.status).toBe(201);
  });
});

const PIXEL =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC";

const jsonTicket = (files: Array<Record<string, string>>) =>
  JSON.stringify({
    name: "Jay Files",
    email: "jay.files@example.com",
    subject: "Files",
    message: "See the files",
    attachments: files,
  });

describe("API attachments", () => {
  it("follow the web upload rules: a type not on the list is dropped and noted, the ticket is created", async () => {
    const { files, note } = await createdTicket(
      "/api/tickets.json",
      jsonTicket([
        { "notes.txt": "data:text/plain;charset=utf-8,plain text" },
        { "tool.exe": "data:application/x-msdownload;base64,TVqQAAMAAAAEAAAA" },
        { "page.html": "data:text/html,<script>alert(1)</script>" },
        { "pixel.png": `data:image/png;base64,${PIXEL}` },
      ]),
    );
    expect(files).toEqual([
      { name: "notes.txt", type: "text/plain" },
      { name: "pixel.png", type: "image/png" },
    ]);
    const lines = note?.split("\n") ?? [];
    expect(lines[0]).toBe("File Import Error");
    // osTicket's own wording for a refused type.
    expect(lines.slice(1)).toEqual([
      "tool.exe: File type is not allowed",
      "page.html: File type is not allowed",
    ]);
  });

  it("never store a content type with CR/LF: such a file is refused, not kept to break its download", async () => {
    const { files, note } = await createdTicket(
      "/api/tickets.json",
      jsonTicket([
        {
          "a.txt":
            "data:text/plain\r\nContent-Disposition: inline;base64,aGVsbG8=",
        },
        { "b.txt": "data:TEXT/Plain ;charset=utf-8;base64,aGVsbG8=" },
      ]),
    );
    expect(files).toEqual([{ name: "b.txt", type: "text/plain" }]);
    expect(note).toMatch(/^File Import Error\na\.txt: /);
  });

  it("clean names as web uploads do: no paths, no control or direction characters", async () => {
    const { files, note } = await createdTicket(
      "/api/tickets.json",
      jsonTicket([
        { "../../etc/passwd.txt": "data:text/plain,x" },
        { "C:\\Users\\me\\report.pdf": "data:application/pdf;base64,JVBERi0=" },
        { "invoice\u202Efdp.png": `data:image/png;base64,${PIXEL}` },
        { "line\r\nbreak.txt": "data:text/plain,x" },
        { "..": "data:text/plain,x" },
        { "evil\r\nFile Import Error.exe": "data:application/x-msdownload,x" },
      ]),
    );
    expect(files.map((f) => f.name)).toEqual([
      "passwd.txt",
      "report.pdf",
      "invoicefdp.png",
      "linebreak.txt",
      "attachment",
    ]);
    // The refused file's name cannot add a line of its own to the note.
    expect(note?.split("\n")).toHaveLength(2);
    expect(note?.split("\n")[1]).toMatch(/^evilFile Import Error\.exe: /);
  });

  it("apply to XML attachments too, whatever the type attribute holds", async () => {
    const { files, note } = await createdTicket(
      "/api/tickets.xml",
      xmlTicket(
        `<attachments><file name="ok.txt" type="text/plain">hi</file><file name="bad.txt" type="text/plain&#13;&#10;X-Injected: 1">hi</file><file name="raw.bin">hi</file><file name="x/y.png" type="image/png" encoding="base64">${PIXEL}</file></attachments>`,
      ),
    );
    expect(files).toEqual([
      { name: "ok.txt", type: "text/plain" },
      { name: "y.png", type: "image/png" },
    ]);
    expect(
      note
        ?.split("\n")
        .slice(1)
        .map((l) => l.split(": ")[0]),
    ).toEqual(["bad.txt", "raw.bin"]);
  });
});
