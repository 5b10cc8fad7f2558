import { describe, expect, it } from "vitest";
import { sanitizeMessageHtml } from "@/lib/tickets/sanitize";

const PIXEL =
  "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC";

const img = (src: string) =>
  sanitizeMessageHtml(`<p>Hi<img src="${src}" alt="logo"></p>`);

describe("message HTML images", () => {
  // Each of these makes the reader's browser fetch from a host the sender chose: a tracker.
  it.each([
    ["protocol-relative", "//tracker.example/p.gif"],
    ["two backslashes", "\\\\tracker.example\\p.gif"],
    ["slash backslash", "/\\tracker.example/p.gif"],
    ["backslash slash", "\\/tracker.example/p.gif"],
    ["a tab between the slashes", "/&#9;/tracker.example/p.gif"],
    ["an entity-encoded //", "&#x2F;&#x2F;tracker.example/p.gif"],
    ["leading spaces", "  //tracker.example/p.gif"],
    ["https", "https://tracker.example/p.gif"],
    ["http", "http://tracker.example/p.gif"],
    ["a path on this site", "/api/staff/queue"],
    ["a relative path", "p.gif"],
    [
      "a data URL that is not an image",
      "data:text/html,<script>alert(1)</script>",
    ],
    ["javascript", "javascript:alert(1)"],
  ])("drops an image whose source is %s", (_kind, src) => {
    expect(img(src)).toBe("<p>Hi</p>");
  });

  it.each([
    ["an inline attachment", "cid:logo@example.com"],
    ["a data URL", PIXEL],
    ["an upper-case scheme", "CID:logo@example.com"],
  ])("keeps an image carried in the message: %s", (_kind, src) => {
    expect(img(src)).toBe(`<p>Hi<img src="${src}" alt="logo" /></p>`);
  });

  it("keeps links to other sites, which the reader must choose to follow", () => {
    expect(
      sanitizeMessageHtml(
        '<a href="https://example.org/help" target="_self" rel="opener">help</a>',
      ),
    ).toBe(
      '<a href="https://example.org/help" target="_blank" rel="noopener noreferrer nofollow">help</a>',
    );
  });
});
