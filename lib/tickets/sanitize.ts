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
    // rel and target are the ones transformTags sets, whatever the sender wrote.
    a: ["href", "title", "rel", "target"],
    img: ["src", "alt", "title", "width", "height"],
    td: ["colspan", "rowspan"],
    th: ["colspan", "rowspan"],
  },
  allowedSchemes: ["http", "https", "mailto"],
  // Inline images arrive as cid: references (mail) or data: URIs; remote images would track readers.
  allowedSchemesByTag: { img: ["cid", "data"] },
  // `//host/x` names another site as surely as `https://host/x` does.
  allowProtocolRelative: false,
  transformTags: {
    a: sanitizeHtml.simpleTransform("a", {
      rel: "noopener noreferrer nofollow",
      target: "_blank",
    }),
    img: (tagName, attribs) => {
      const { src, ...rest } = attribs;
      return {
        tagName,
        attribs:
          src !== undefined && isInlineImage(src) ? { src, ...rest } : rest,
      };
    },
  },
  // An image with nothing it may show (its remote source removed) is dropped whole.
  exclusiveFilter: (frame) => frame.tag === "img" && !frame.attribs.src,
  disallowedTagsMode: "discard",
};

/**
 * Only images carried in the message itself: `cid:` (a mail's inline attachment) and `data:image/…`.
 * Everything else may load from elsewhere: a relative path is resolved against this site, and
 * browsers read `\\host`, `/\host` or `/<tab>/host` as `//host`. Browsers ignore tabs, newlines and
 * leading spaces or control characters in a URL, so the scheme is judged without them.
 */
function isInlineImage(src: string): boolean {
  const bare = src
    .replace(/[\t\n\r]/g, "")
    .replace(/^[\u0000-\u0020]+/, "")
    .toLowerCase();
  return /^cid:[^\s]/.test(bare) || /^data:image\/[a-z0-9.+-]+[;,]/.test(bare);
}

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
