// Ticket documents never need a document type, and a DTD is how XML attacks work (entities that
// expand a billion times, or read a local file). The XML parser throws on some of them, which answered
// 500 "unknown error"; Portico refuses any such declaration as malformed XML (400), before parsing.
// The validator accepts `<!DOCTYPE` anywhere, even inside an element, so the whole document is
// scanned, skipping only CDATA sections and comments (an HTML message may start with `<!DOCTYPE html>`).

/** Whether `body` holds a markup declaration (`<!DOCTYPE`, `<!ENTITY`, …) outside CDATA and comments. */
export function hasMarkupDeclaration(body: string | Uint8Array): boolean {
  const text = typeof body === "string" ? body : new TextDecoder().decode(body);
  let at = 0;
  for (;;) {
    const open = text.indexOf("<!", at);
    if (open === -1) return false;
    const skip = text.startsWith("<![CDATA[", open)
      ? "]]>"
      : text.startsWith("<!--", open)
        ? "-->"
        : null;
    if (skip === null) return true;
    const end = text.indexOf(skip, open + 4);
    // An unclosed section: the document is malformed, which the parser reports itself.
    if (end === -1) return false;
    at = end + skip.length;
  }
}
