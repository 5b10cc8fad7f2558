import { describe, expect, it } from "vitest";
import { visibleReply } from "@/lib/mail-ingest/reply-text";

const visible = (lines: string[], forward = false) =>
  visibleReply(lines.join("\n"), { forward }).visible;

describe("visibleReply", () => {
  it("cuts a top-posted reply at the attribution and keeps the history as quoted", () => {
    const result = visibleReply(
      "Thanks, that works.\n\nOn Mon, 2 Apr 2012 at 18:26, Bob <bob@example.com> wrote:\n> Try again\n",
    );
    expect(result).toEqual({
      visible: "Thanks, that works.",
      quoted:
        "On Mon, 2 Apr 2012 at 18:26, Bob <bob@example.com> wrote:\n> Try again",
    });
  });

  it.each([
    ["German", "Am 23.03.2023 um 17:11 schrieb John Doe <john@example.de>:"],
    [
      "Spanish",
      "El lun, 15 nov 2021 a las 19:42, Juan (<juan@example.es>) escribió:",
    ],
    ["Dutch", "Op 15 nov. 2021 om 19:42 schreef Jan <jan@example.nl>:"],
    [
      "Italian",
      "Il giorno 15/11/2021 19:42, Gianni <g@example.it> ha scritto:",
    ],
    ["Russian", "15.11.2021 19:42, Иван <ivan@example.ru> написал(а):"],
    ["Swedish", "Den 15 nov 2021 kl. 19:42 skrev Sven <sven@example.se>:"],
    ["French", "Le 15 nov. 2021 à 19:42, Jean <jean@example.fr> a écrit :"],
  ])(
    "recognises a %s attribution above an un-indented original",
    (_language, attribution) => {
      expect(
        visible(["My answer.", "", attribution, "", "The original question."]),
      ).toBe("My answer.");
    },
  );

  it.each([
    [
      "French",
      [
        "De : Jean <jean@example.fr>",
        "Envoyé : lundi 15 novembre 2021 19:42",
        "À : support@example.com",
        "Objet : Question",
      ],
    ],
    [
      "German",
      [
        "Von: Hans <hans@example.de>",
        "Gesendet: Montag, 15. November 2021 19:42",
        "An: support@example.com",
        "Betreff: Frage",
      ],
    ],
    [
      "bold (from HTML)",
      [
        "*From:* Bob <bob@example.com>",
        "*Sent:* Monday, 15 November 2021",
        "*To:* support@example.com",
      ],
    ],
  ])("cuts at a %s header block", (_name, block) => {
    expect(
      visible(["My answer.", "", ...block, "", "The original question."]),
    ).toBe("My answer.");
  });

  it("needs a date and a recipient or subject line before it calls lines a header block", () => {
    const text = [
      "Please change my delivery:",
      "From: Berlin",
      "Via: Hamburg",
      "",
      "Thanks",
    ];
    expect(visible(text)).toBe(text.join("\n"));
  });

  it.each([
    "Sent from my iPhone",
    "Sent from my Samsung Galaxy smartphone.",
    "Sent from Yahoo Mail on Android",
    "Sent from Windows Mail",
    "Sent from Mail for Windows 10",
    "Get Outlook for Android<https://aka.ms/ghei36>",
    "Envoyé de mon iPhone",
    "Von meinem iPhone gesendet",
    "Enviado desde mi iPhone",
  ])("strips the mobile signature %j", (signature) => {
    expect(visible(["See you tomorrow.", "", signature])).toBe(
      "See you tomorrow.",
    );
  });

  it("keeps sentences that merely start like a mobile signature", () => {
    const text = [
      "Sent from my desk, is much easier then my mobile phone.",
      "Sent from my iPhone earlier: the photo",
    ];
    expect(visible(text)).toBe(text.join("\n"));
  });

  it("strips an RFC 3676 signature but not a long text after a bare --", () => {
    expect(visible(["Answer", "-- ", "Bob", "ACME"])).toBe("Answer");
    expect(visible(["Answer", "--", "Bob"])).toBe("Answer");
    const long = [
      "Intro",
      "--",
      ...Array.from({ length: 12 }, (_, i) => `Point ${i}`),
    ];
    expect(visible(long)).toBe(long.join("\n"));
  });

  it("does not take a sentence ending in a colon for an attribution", () => {
    const text = [
      "On reflection I wrote this list:",
      "",
      "- apples",
      "- pears",
    ];
    expect(visible(text)).toBe(text.join("\n"));
  });

  it("keeps bottom-posted and interleaved answers", () => {
    expect(
      visible([
        "Bob wrote:",
        "> Question one?",
        "Answer one.",
        "> Question two?",
        "Answer two.",
      ]),
    ).toBe("Answer one.\nAnswer two.");
  });

  it("keeps a long answer line after a quote", () => {
    const long = "Answer ".repeat(100).trim();
    expect(visible(["> Question?", long, "> Another?", "Short answer."])).toBe(
      `${long}\nShort answer.`,
    );
  });

  it("keeps a forwarded message and the note above it, without the note's signature", () => {
    const text = [
      "Please look at this.",
      "-- ",
      "Ann",
      "",
      "Begin forwarded message:",
      "",
      "From: Bob <bob@example.com>",
      "Date: 2 April 2012",
      "Subject: Broken",
      "To: Ann <ann@example.com>",
      "",
      "It is broken.",
    ];
    expect(visible(text)).toBe(
      ["Please look at this.", "", ...text.slice(4)].join("\n"),
    );
  });

  it("keeps a forward's header block and quoted content when the subject says forward", () => {
    const text = [
      "From: Bob <bob@example.com>",
      "Sent: Monday",
      "To: Ann",
      "",
      "> It is broken.",
    ];
    expect(visible(text, true)).toBe(text.join("\n"));
    expect(
      visible(["> Begin forwarded message:", ">", "> It is broken."]),
    ).toBe("Begin forwarded message:\n\nIt is broken.");
    expect(
      visible(
        [
          "FYI",
          "",
          "On Mon, 2 Apr 2012, Bob <bob@example.com> wrote:",
          "> It is broken.",
        ],
        true,
      ),
    ).toBe(
      "FYI\n\nOn Mon, 2 Apr 2012, Bob <bob@example.com> wrote:\n> It is broken.",
    );
  });

  it("shows everything when everything looks quoted", () => {
    expect(visibleReply("> only a quote\n> nothing else\n")).toEqual({
      visible: "> only a quote\n> nothing else",
      quoted: "",
    });
    expect(visibleReply("")).toEqual({ visible: "", quoted: "" });
  });

  it("handles very long quote lines quickly", () => {
    const text = `Hi\n${">".repeat(700_000)}\nasdf\nA${">".repeat(700_000)}\n`;
    const start = performance.now();
    expect(visibleReply(text).visible.startsWith("Hi\nasdf")).toBe(true);
    expect(performance.now() - start).toBeLessThan(1000);
  });
});
