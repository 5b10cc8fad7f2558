// Strings JavaScript can hold but a UTF-8 database column cannot.

const LONE_SURROGATE =
  /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Lone UTF-16 surrogates (JSON's `\ud800` can make them) as U+FFFD, as Node's UTF-8 encoder writes them. */
export function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, "\uFFFD");
}

/** Text PostgreSQL can store: well-formed, and with U+FFFD for NUL, which its text type refuses. */
export function storableText(text: string): string {
  return wellFormed(text).replaceAll("\u0000", "\uFFFD");
}

/**
 * Text typed (or crafted) into a search box, as a query can use it: storable, with control characters
 * (a NUL in `?q=` failed the whole query) as spaces, and one space between words.
 */
export function searchText(text: string): string {
  return storableText(text)
    .replace(/[\p{Cc}\uFFFD]+/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
}
