import "server-only";
import { convert } from "html-to-text";
import sanitizeHtml from "sanitize-html";

// HTML from anyone (customers, agents, mail) passes through here before it is stored or shown.
// An allow-list: formatting, links and images; no scripts, styles, event handlers or forms.
const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    "p",
    "br",
    "div",
    "span",
    "b",
    "strong",
    "i",
    "em",
    "u",
    "s",
    "blockquote",
    "pre",
    "code",
    "ul",
    "ol",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "a",
    "img",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "th",
    "td",
  ],
  allowedAttributes: {
    a: ["href", "title"],
    img: ["src", "alt", "title", "width", "height"],
    td: ["colspan", "rowspan"],
    th: ["colspan", "rowspan"],
  },
  allowedSchemes: ["http", "https", "mailto"],
  // Inline images arrive as cid: references (mail) or data: URIs; remote images would track readers.
  allowedSchemesByTag: { img: ["cid", "data"] },
  transformTags: {
    a: sanitizeHtml.simpleTransform("a", {
      rel: "noopener noreferrer nofollow",
      target: "_blank",
    }),
  },
  disallowedTagsMode: "discard",
};

export function sanitizeMessageHtml(html: string): string {
  return sanitizeHtml(html, OPTIONS);
}

/** Plain text made safe to show as HTML, keeping line breaks and turning URLs into links. */
export function textToHtml(text: string): string {
  const escaped = text.replace(
    /[&<>"']/g,
    (c) =>
      ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[
        c
      ]!,
  );
  const linked = escaped.replace(
    /\bhttps?:\/\/[^\s<]+[^\s<.,;:!?)]/g,
    (url) => `<a href="${url}">${url}</a>`,
  );
  // Safe by construction: every character of the text is escaped, and the only markup added is
  // <p>, <br> and links to http(s) URLs. (Sanitising it again cost more than the rest of a mail's
  // ingestion for long messages.)
  return linked
    .split(/\n{2,}/)
    .map((p) => `<p>${p.replace(/\n/g, "<br>")}</p>`)
    .join("");
}

/** Readable plain text of an HTML message (for search, previews and mail), links and images dropped. */
export function htmlToText(html: string): string {
  return convert(html, {
    wordwrap: false,
    selectors: [
      { selector: "a", options: { ignoreHref: true } },
      { selector: "img", format: "skip" },
    ],
  }).trim();
}
