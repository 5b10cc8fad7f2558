// Ticket tags and reply/forward prefixes in a mail Subject. Pure and client-safe.

// Localised prefixes mail clients put before a subject: reply (Re, AW, SV, VS, Antw, Odp, Ref,
// 回复) and forward (Fwd, FW, WG, TR, RV, Enc, Doorst, VL, 转发). Gmail may add a count: "Re[2]:".
const REPLY_WORDS = [
  "re",
  "aw",
  "sv",
  "vs",
  "antw",
  "odp",
  "ref",
  "réf",
  "回复",
  "回覆",
  "答复",
];
const FORWARD_WORDS = [
  "fwd",
  "fw",
  "wg",
  "tr",
  "rv",
  "enc",
  "doorst",
  "vl",
  "转发",
  "轉寄",
];
const PREFIX = new RegExp(
  `^\\s*(${[...REPLY_WORDS, ...FORWARD_WORDS].join("|")})\\s*(?:\\[\\d+\\]|\\(\\d+\\))?\\s*[:：]\\s*`,
  "iu",
);
const FORWARD = new Set(FORWARD_WORDS);

/** The subject without any chain of reply/forward prefixes ("Re: AW: Fwd: x" → "x"). */
export function stripReplyPrefixes(subject: string): string {
  let rest = subject.trim();
  for (let m = PREFIX.exec(rest); m; m = PREFIX.exec(rest))
    rest = rest.slice(m[0].length);
  return rest.trim();
}

/** Whether the outermost prefix marks a forward ("Fwd: Re: x" is, "Re: Fwd: x" is a reply). */
export function isForwardSubject(subject: string): boolean {
  const word = PREFIX.exec(subject)?.[1]?.toLowerCase();
  return word !== undefined && FORWARD.has(word);
}

// Explicit tags win over a bare "#n" elsewhere in the subject, which may be an order number.
// The portal sends [TICKET-n]; the other forms come from osTicket and older helpdesks.
const EXPLICIT_TAGS = [
  /\[\s*(?:ticket|tck)\s*[-#:]?\s*#?\s*(\d{1,10})\s*\]/i,
  /\[\s*#(\d{3,10})\s*\]/,
  /\bticket\s*#\s*(\d{1,10})(?!\d)/i,
];
// A bare "#n" stands alone (so "#1" or "abc#12345" do not count) and is not an order or invoice number.
const BARE_HASH = /(?:^|[\s([{,;:])#(\d{3,10})(?![\w-])/g;
const NOT_A_TICKET =
  /\b(?:order|invoice|po|bestellung|rechnung|auftrag|commande|facture|pedido|factura|ordine|fattura)\s*(?:no\.?|nr\.?|number|nummer)?\s*$/i;

/** The ticket number a subject refers to, or null when it carries no ticket tag. */
export function ticketReferenceInSubject(subject: string): string | null {
  for (const tag of EXPLICIT_TAGS) {
    const number = tag.exec(subject)?.[1];
    if (number) return number;
  }
  for (const m of subject.matchAll(BARE_HASH)) {
    const before = subject.slice(0, m.index + m[0].indexOf("#"));
    if (!NOT_A_TICKET.test(before)) return m[1] ?? null;
  }
  return null;
}
