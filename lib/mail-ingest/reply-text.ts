// Splits a mail's text into what the sender newly wrote and the quoted history or signature below
// it. Pure and client-safe. Works line by line on decoded text (HTML already turned into text).
//
// - ">" lines are history wherever they are, so bottom-posted and interleaved answers survive.
// - An attribution ("On … wrote:", Zoho's "---- On … wrote ----", mail.ru's "… от Name:") before a
//   ">" block is history; one before an un-indented original, like a header block ("From: / Sent: /
//   To:", or GMX's "Gesendet: / Von: / An:") or "-----Original Message-----", starts a top-posted
//   history that runs to the end.
// - A forward keeps the forwarded content: it is the substance of the request.

export type VisibleReply = { visible: string; quoted: string };

export type VisibleReplyOptions = {
  /** The mail is a forward (say, its subject starts with "Fwd:"): keep the history as content. */
  forward?: boolean;
};

// Lines longer than this are never markers; it bounds regex work on pathological input.
const MAX_MARKER_LENGTH = 400;
// A bare "--" counts as a signature delimiter only before a short signature.
const MAX_BARE_SIGNATURE_LINES = 10;

const FORWARD_MARKER = new RegExp(
  [
    // Zoho rules its forward header with "=" instead of "-".
    "^(?:-{2,}|={2,})\\s*(?:forwarded message|weitergeleitete nachricht|message transféré|mensaje reenviado|",
    "mensagem encaminhada|messaggio inoltrato|doorgestuurd bericht|vidarebefordrat meddelande|",
    "videresendt meddelelse|välitetty viesti|пересылаемое сообщение|пересланное сообщение)\\s*(?:-*|=*)$|",
    "^(?:begin forwarded message|début du message réexpédié|anfang der weitergeleiteten nachricht|",
    "inicio del mensaje reenviado|início da mensagem reencaminhada|inizio messaggio inoltrato|",
    "begin doorgestuurd bericht)\\s*:?$",
  ].join(""),
  "iu",
);

const ORIGINAL_MESSAGE = new RegExp(
  [
    "^-{2,}\\s*(?:original message|ursprüngliche nachricht|message d'origine|mensaje original|",
    "messaggio originale|oorspronkelijk bericht|originalmeddelande|opprinnelig melding|",
    "oprindelig meddelelse|alkuperäinen viesti|исходное сообщение|mensagem original|",
    // QQ Mail: "------------------ 原始邮件 ------------------", or "Original" alone in English.
    "原始邮件|原始郵件|邮件原件|original)\\s*-{2,}$",
  ].join(""),
  "iu",
);

const SEPARATOR_LINE = /^(?:_{10,}|-{10,})$/;

// Header blocks Outlook, Apple Mail, Yahoo, QQ Mail and others put above an un-indented original.
const FROM_KEYS = "from|de|von|van|da|от|från|fra|od|lähettäjä|发件人|寄件者";
// "Sent" words, unlike a plain "Date:", may lead a block (GMX), so they are kept apart.
const SENT_KEYS =
  "sent|envoyé|gesendet|verzonden|enviado|inviato|отправлено|skickat|sendt|lähetetty|wysłano|发送时间|寄件日期";
const DATE_KEYS = `${SENT_KEYS}|date|datum|fecha|data|дата|päivämäärä|日期`;
const OTHER_KEYS =
  "to|cc|bcc|subject|reply-to|à|objet|an|betreff|aan|onderwerp|para|asunto|a|oggetto|кому|тема|копия|till|ämne|kopia|til|emne|vastaanottaja|aihe|do|temat|收件人|抄送|主题|主旨";
// Chinese clients may use a full-width colon.
const headerLine = (keys: string) =>
  new RegExp(`^\\*?(${keys})\\*?\\s*[:：]`, "iu");
const FROM_LINE = headerLine(FROM_KEYS);
const DATE_LINE = headerLine(DATE_KEYS);
const SENT_LINE = headerLine(SENT_KEYS);
const OTHER_LINE = headerLine(OTHER_KEYS);

// "On … wrote:" and its translations; the verb may be followed by the name (German "schrieb X:").
const ATTRIBUTION_VERB =
  "(?:wrote|writes|a\\s+écrit|schrieb|folgendes\\s+geschrieben|escribió|escreveu|schreef|ha\\s+scritto|skrev|kirjoitti|napisał(?:\\(a\\))?|napsal(?:\\(a\\))?|написал(?:\\(а\\)|а)?|yazdı)";
const VERB_THEN_COLON = new RegExp(`${ATTRIBUTION_VERB}\\s*:$`, "iu");
const VERB_ANYWHERE = new RegExp(
  `(?:^|[^\\p{L}])${ATTRIBUTION_VERB}(?![\\p{L}])`,
  "iu",
);
const ATTRIBUTION_START =
  /^(?:-{2,}\s*)?(?:on|le|am|el|op|il|den|em|dne|w dniu|på|\d{1,4}[./-]\d{1,2}[./-]\d{1,4})(?![\p{L}])/iu;
// Zoho puts its attribution between rulers: "---- On Mon, 01 Jan 2024 10:00:00 +0000 Bob <b@x> wrote ----".
const RULED = /^-{2,}\s*(.*?)\s*-{2,}$/u;
// mail.ru names no verb: "Понедельник, 1 января 2024, 10:00 +03:00 от Bob <b@x>:". The time zone
// it always writes tells it from a sentence that starts with a date.
const MAILRU_ATTRIBUTION =
  /^(?:(?:понедельник|вторник|среда|четверг|пятница|суббота|воскресенье),\s*)?\d{1,2}\s+(?:января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря)\s+\d{4}(?:\s*г\.)?,?\s+\d{1,2}:\d{2}\s*[+-]\d{2}:?\d{2}\s+от\s+\S.*:$/iu;

// Lines mail clients and apps append on their own ("Sent from my iPhone", "Sent with Proton Mail
// secure email."), matched as a whole line so that sentences merely starting alike stay.
const CLIENT_FOOTER = new RegExp(
  [
    "^(?:sent from my (?:iphone|ipad|ipod|android|blackberry|mobile|smartphone|phone|",
    "samsung|galaxy|huawei|xiaomi|nokia|pixel|oneplus|htc|motorola|windows phone)[\\w .+-]{0,30}|",
    "sent from (?:yahoo mail|outlook|mail for windows|windows mail|aol mobile mail|samsung mobile)",
    "(?: \\d+| (?:for|on) [\\w .]{1,30})?|",
    "get outlook for (?:ios|android)|sent with sparrow|sent via blackberry[\\w .]{0,30}|",
    "envoyé de mon (?:iphone|ipad|smartphone|mobile|appareil[\\w ]{0,30})|",
    "envoyé depuis mon (?:iphone|ipad|smartphone|mobile)|",
    "von meinem (?:iphone|ipad|smartphone|handy|mobiltelefon|samsung[\\w ]{0,30}) gesendet|",
    "enviado desde mi (?:iphone|ipad|smartphone|móvil|celular|dispositivo[\\w ]{0,30})|",
    "verzonden (?:vanaf|met) (?:mijn )?(?:iphone|ipad|smartphone)|",
    "inviato da (?:iphone|ipad|il mio iphone)|skickat från min (?:iphone|ipad)|",
    "sendt fra min (?:iphone|ipad)|отправлено с (?:iphone|ipad|моего [\\p{L} ]{1,30})|",
    "sent with proton ?mail secure email\\.?|sent from proton ?mail(?: mobile| for ios| for android| android| ios)?|",
    "sent using zoho mail|",
    "отправлено из (?:мобильной )?почты mail\\.ru|отправлено из mail\\.ru для (?:android|iphone|ipad)|",
    "gesendet mit der (?:web\\.de|gmx) mail app|",
    "diese nachricht wurde von meinem android[- ]mobiltelefon mit (?:web\\.de|gmx) mail gesendet\\.?|",
    "发自我的 ?(?:iphone|ipad|手机)|從我的 ?(?:iphone|ipad) ?傳送)$",
  ].join(""),
  "iu",
);

const isQuoted = (line: string) => /^[ \t]*>/.test(line);
const isBlank = (line: string) => clean(line) === "";

// Text from HTML carries no-break spaces and bidi marks around header values; QQ Mail's text part
// even keeps them as a literal "&nbsp;" ("------------------&nbsp;原始邮件&nbsp;------------------").
function clean(line: string): string {
  return line
    .replace(/[\u00a0\u200b-\u200f\u202a-\u202e\u2060\ufeff]|&nbsp;/gi, " ")
    .trim();
}

function dequote(line: string): string {
  return line.replace(/^(?:[ \t]*>)+[ \t]?/, "");
}

/** Never returns an empty visible text for a non-empty message: if everything looks quoted, all of it is visible. */
export function visibleReply(
  text: string,
  options: VisibleReplyOptions = {},
): VisibleReply {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const labels = classify(lines, options.forward === true);

  const visible = tidy(lines.filter((_, i) => labels[i] === "visible"));
  const quoted = tidy(lines.filter((_, i) => labels[i] === "quoted"));
  if (!visible) return { visible: tidy(lines), quoted: "" };
  return { visible, quoted };
}

type Label = "visible" | "quoted";

function classify(lines: string[], isForward: boolean): Label[] {
  const labels: Label[] = lines.map(() => "visible");
  const keepFrom = (start: number) => {
    // A forward quoted as a whole (Apple Mail) reads better without one level of ">".
    const rest = lines.slice(start);
    if (rest.every((l) => isBlank(l) || isQuoted(l))) {
      for (let i = start; i < lines.length; i++)
        lines[i] = dequoteOnce(lines[i] ?? "");
    }
    return labels;
  };
  const cutFrom = (start: number) => {
    if (isForward) return keepFrom(start);
    for (let i = start; i < lines.length; i++) labels[i] = "quoted";
    return labels;
  };

  let inQuote = false;
  let afterAttribution = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const plain = line.length > MAX_MARKER_LENGTH ? "" : clean(line);

    if (isQuoted(line)) {
      const startsBlock = !inQuote;
      inQuote = true;
      if (
        line.length <= MAX_MARKER_LENGTH &&
        startsBlock &&
        !afterAttribution
      ) {
        if (FORWARD_MARKER.test(clean(dequote(line)))) return keepFrom(i);
      }
      if (isForward && !afterAttribution) return keepFrom(i);
      labels[i] = "quoted";
      continue;
    }
    if (isBlank(line)) {
      if (inQuote) labels[i] = "quoted";
      continue;
    }
    inQuote = false;
    afterAttribution = false;
    if (plain === "") continue; // too long to be a marker: plain content

    if (FORWARD_MARKER.test(plain)) return keepFrom(i);

    const signatureEnd = signatureEndAt(lines, i);
    if (signatureEnd !== null) {
      for (let j = i; j < signatureEnd; j++)
        if (!isBlank(lines[j] ?? "")) labels[j] = "quoted";
      i = signatureEnd - 1;
      continue;
    }

    if (ORIGINAL_MESSAGE.test(plain)) return cutFrom(i);
    if (
      SEPARATOR_LINE.test(plain) &&
      headerBlockAt(lines, nextNonBlank(lines, i + 1))
    ) {
      return cutFrom(i);
    }
    if (headerBlockAt(lines, i)) return cutFrom(i);

    const attribution = attributionEndingAt(lines, i);
    if (attribution) {
      if (isForward) return keepFrom(attribution.start);
      if (attribution.beforeQuote) {
        for (let j = attribution.start; j <= i; j++) labels[j] = "quoted";
        afterAttribution = true;
        continue;
      }
      return cutFrom(attribution.start);
    }

    if (CLIENT_FOOTER.test(footerText(plain))) labels[i] = "quoted";
  }
  return labels;
}

function dequoteOnce(line: string): string {
  return line.replace(/^([ \t]*)> ?/, "$1");
}

function nextNonBlank(lines: string[], from: number): number {
  let i = from;
  while (i < lines.length && isBlank(lines[i] ?? "")) i++;
  return i;
}

// "Get Outlook for iOS<https://aka.ms/o0ukef>": plain-text clients append the link target, and
// Proton Mail writes its text part as Markdown: "Sent with [Proton Mail](https://proton.me/) secure email.".
function footerText(line: string): string {
  return line
    .replace(/\[([^\]]{1,60})\]\(https?:[^\s)]*\)/gi, "$1")
    .replace(/\s*[<([]https?:[^\s>)\]]*[>)\]]$/i, "")
    .trim();
}

/** Index one past the signature that starts at i, or null. It ends where history or a forward begins. */
function signatureEndAt(lines: string[], i: number): number | null {
  const line = lines[i] ?? "";
  const rfc3676 = line === "-- ";
  if (!rfc3676 && !/^--\s*$/.test(line)) return null;
  let end = i + 1;
  let unquoted = 0;
  for (; end < lines.length; end++) {
    const next = lines[end] ?? "";
    if (historyStartsAt(lines, end)) break;
    if (!isBlank(next) && !isQuoted(next)) unquoted++;
  }
  if (!rfc3676 && unquoted > MAX_BARE_SIGNATURE_LINES) return null;
  return end;
}

function historyStartsAt(lines: string[], i: number): boolean {
  const line = lines[i] ?? "";
  if (isQuoted(line) || line.length > MAX_MARKER_LENGTH) return false;
  const plain = clean(line);
  return (
    FORWARD_MARKER.test(plain) ||
    ORIGINAL_MESSAGE.test(plain) ||
    headerBlockAt(lines, i) ||
    attributionEndingAt(lines, i) !== null
  );
}

/**
 * Whether a header block starts at i: a From line, a date and a To/Subject line, led by the From
 * line or, as GMX and WEB.DE write it ("Gesendet: … / Von: … / An: …"), by the sending date. A
 * plain "Date:" never leads, so "Date: / From: 9:00 / To: 17:00" in a booking stays text.
 */
function headerBlockAt(lines: string[], i: number): boolean {
  const first = lines[i] ?? "";
  if (first.length > MAX_MARKER_LENGTH) return false;
  const firstPlain = clean(first);
  let hasFrom = FROM_LINE.test(firstPlain);
  let hasDate = !hasFrom && SENT_LINE.test(firstPlain);
  if (!hasFrom && !hasDate) return false;
  let hasOther = false;
  for (let j = i + 1; j < Math.min(lines.length, i + 12); j++) {
    const line = lines[j] ?? "";
    if (isBlank(line) || isQuoted(line)) break;
    if (line.length > MAX_MARKER_LENGTH) continue;
    const plain = clean(line);
    if (DATE_LINE.test(plain)) hasDate = true;
    else if (FROM_LINE.test(plain)) hasFrom = true;
    else if (OTHER_LINE.test(plain)) hasOther = true;
  }
  return hasFrom && hasDate && hasOther;
}

type Attribution = { start: number; beforeQuote: boolean };

/** An attribution line (possibly wrapped over up to three lines) that ends at line i. */
function attributionEndingAt(lines: string[], i: number): Attribution | null {
  const last = clean(lines[i] ?? "");
  if (last.length > MAX_MARKER_LENGTH) return null;
  const isRuled = /-{2,}$/.test(last);
  if (!last.endsWith(":") && !isRuled) return null;
  const next = lines[nextNonBlank(lines, i + 1)];
  const beforeQuote = next !== undefined && isQuoted(next);

  for (let start = i; start >= Math.max(0, i - 2); start--) {
    const line = lines[start] ?? "";
    if (isBlank(line) || isQuoted(line) || line.length > MAX_MARKER_LENGTH)
      break;
    const joined = lines
      .slice(start, i + 1)
      .map(clean)
      .join(" ");
    if (!isRuled && MAILRU_ATTRIBUTION.test(joined))
      return { start, beforeQuote };
    const window = isRuled ? RULED.exec(joined)?.[1] : joined;
    if (
      window === undefined ||
      !ATTRIBUTION_START.test(window) ||
      !VERB_ANYWHERE.test(window)
    )
      continue;
    // A date or an address tells "On Monday, Bob wrote:" from "On reflection I wrote this:".
    if (beforeQuote || /\d|@/.test(window)) return { start, beforeQuote };
  }
  if (isRuled) return null;
  // "Bob <bob@example.com> wrote:" with no date: an attribution only right above a quote.
  if (beforeQuote && VERB_THEN_COLON.test(last))
    return { start: i, beforeQuote };
  return null;
}

function tidy(lines: string[]): string {
  return lines
    .map((l) => l.trimEnd())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
