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
    "Sent with Proton Mail secure email.",
    "Sent with [Proton Mail](https://proton.me/) secure email.",
    "Sent with ProtonMail Secure Email.",
    "Sent from Proton Mail for iOS",
    "Sent from Proton Mail Android",
    "Sent using Zoho Mail",
    "Sent using [Zoho Mail](https://www.zoho.com/mail/)",
    "Sent from Yahoo Mail for iPhone<https://mail.onelink.me/107872968?pid=nativeplacement>",
    "Отправлено из мобильной Почты Mail.ru",
    "Отправлено из Почты Mail.ru",
    "Отправлено из Mail.ru для Android",
    "Gesendet mit der WEB.DE Mail App",
    "Gesendet mit der GMX Mail App",
    "Diese Nachricht wurde von meinem Android Mobiltelefon mit WEB.DE Mail gesendet.",
    "Diese Nachricht wurde von meinem Android Mobiltelefon mit GMX Mail gesendet.",
    "发自我的iPhone",
    "发自我的 iPad",
    "從我的 iPhone 傳送",
  ])("strips the client footer %j", (signature) => {
    expect(visible(["See you tomorrow.", "", signature])).toBe(
      "See you tomorrow.",
    );
  });

  it("keeps sentences that merely start like a mobile signature", () => {
    const text = [
      "Sent from my desk, is much easier then my mobile phone.",
      "Sent from my iPhone earlier: the photo",
      "Sent with Proton Mail secure email, so you can reply safely.",
      "Gesendet mit der WEB.DE Mail App hat nicht funktioniert.",
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

  describe("webmail clients", () => {
    it.each([
      [
        "Zoho",
        " ---- On Mon, 01 Jan 2024 10:00:00 +0000 Support <support@example.com> wrote ----",
      ],
      [
        "Zoho (three dashes after the verb)",
        "---- On Mon, 01 Jan 2024 10:00:00 +0000 Support <support@example.com> wrote ---",
      ],
      [
        "Zoho in German",
        "---- Am Mo, 01 Jan 2024 10:00:00 +0100 schrieb Support <support@example.com> ----",
      ],
      [
        "Yahoo",
        "    On Monday, January 1, 2024, 10:00:00 AM GMT, Support <support@example.com> wrote:  ",
      ],
      [
        "Yahoo in German",
        "Am Montag, 1. Januar 2024, 10:00:00 MEZ hat Support <support@example.com> Folgendes geschrieben:",
      ],
      [
        "Proton Mail",
        "On Monday, January 1st, 2024 at 10:00 AM, Support <support@example.com> wrote:",
      ],
      ["Fastmail", "On Mon, Jan 1, 2024, at 10:00, Support wrote:"],
      [
        "mail.ru",
        "Понедельник, 1 января 2024, 10:00 +03:00 от Support <support@example.com>:",
      ],
      [
        "mail.ru without the weekday",
        "1 января 2024, 10:00 +03:00 от Служба поддержки <support@example.com>:",
      ],
    ])(
      "%s: the attribution and everything below it are history",
      (_client, attribution) => {
        for (const original of [
          ["> Please restart the router.", ">", "> Support"],
          ["Please restart the router.", "", "Support"],
        ]) {
          const result = visibleReply(
            ["It works now.", "", attribution, "", ...original].join("\n"),
          );
          expect(result.visible).toBe("It works now.");
          expect(result.quoted).toContain("Please restart the router.");
        }
      },
    );

    it("mail.ru: a wrapped attribution before a quote without a space after >", () => {
      expect(
        visible([
          "Спасибо, всё работает.",
          "",
          "Понедельник, 1 января 2024, 10:00 +03:00 от Служба поддержки",
          "<support@example.com>:",
          ">",
          ">Пожалуйста, перезагрузите роутер.",
        ]),
      ).toBe("Спасибо, всё работает.");
    });

    it("keeps an answer written below a Zoho quote", () => {
      expect(
        visible([
          " ---- On Mon, 01 Jan 2024 10:00:00 +0000 Support <support@example.com> wrote ----",
          " > Which version do you run?",
          "",
          "Version 4.2.",
        ]),
      ).toBe("Version 4.2.");
    });

    it("does not take a ruled heading or a dated Russian sentence for an attribution", () => {
      const text = [
        "---- Notes from 1 January ----",
        "The router restarts at night.",
        "",
        "---- On reflection I wrote this ----",
        "",
        "1 января 2024, 10:00 от офиса до вокзала:",
        "",
        "- пешком",
      ];
      expect(visible(text)).toBe(text.join("\n"));
    });

    it.each([
      [
        "Proton Mail",
        [
          "Sent with [Proton Mail](https://proton.me/) secure email.",
          "",
          "------- Original Message -------",
          "On Monday, January 1st, 2024 at 10:00 AM, Support <support@example.com> wrote:",
          "",
          "> Please restart the router.",
        ],
      ],
      [
        "QQ Mail",
        [
          "------------------ 原始邮件 ------------------",
          '发件人: "Support"<support@example.com>;',
          "发送时间: 2024年1月1日(星期一) 上午10:00",
          '收件人: "王伟"<wangwei@qq.com>;',
          "主题: 无法登录",
          "",
          "Please restart the router.",
        ],
      ],
      [
        "QQ Mail in English",
        [
          "------------------ Original ------------------",
          'From: "Support"<support@example.com>;',
          "Date: Mon, Jan 1, 2024 10:00 AM",
          'To: "Wang Wei"<wangwei@qq.com>;',
          "Subject: Cannot sign in",
          "",
          "Please restart the router.",
        ],
      ],
      [
        "Foxmail (full-width colons, no ruler)",
        [
          "发件人： Support",
          "发送时间： 2024-01-01 10:00",
          "收件人： wangwei",
          "主题： 无法登录",
          "",
          "Please restart the router.",
        ],
      ],
      [
        "GMX / WEB.DE",
        [
          "Gesendet: Montag, 01. Januar 2024 um 10:00 Uhr",
          'Von: "Support" <support@example.com>',
          "An: hans@web.de",
          "Betreff: Rechnung fehlt",
          "Please restart the router.",
        ],
      ],
      [
        "GMX in English",
        [
          "Sent: Monday, January 01, 2024 at 10:00 AM",
          "From: Support <support@example.com>",
          "To: hans@gmx.com",
          "Subject: Invoice missing",
          "Please restart the router.",
        ],
      ],
    ])("%s: cuts at the original's header", (_client, history) => {
      const result = visibleReply(
        ["It works now.", "", "", ...history].join("\n"),
      );
      expect(result.visible).toBe("It works now.");
      expect(result.quoted).toContain("Please restart the router.");
    });

    it("does not let a plain Date: line lead a header block", () => {
      const text = [
        "Please book the meeting room.",
        "",
        "Date: 12 March 2024",
        "From: 9:00",
        "To: 17:00",
        "",
        "Thanks",
      ];
      expect(visible(text)).toBe(text.join("\n"));
    });

    it("keeps a Zoho forward's content, ruled with =", () => {
      const text = [
        "Please have a look.",
        "",
        "============ Forwarded message ============",
        "From: Bob <bob@example.com>",
        "To: Ann <ann@example.com>",
        "Date: Mon, 01 Jan 2024 10:00:00 +0000",
        "Subject: Broken",
        "============ Forwarded message ============",
        "",
        "It is broken.",
      ];
      expect(visible(text)).toBe(text.join("\n"));
    });
  });

  it("handles very long quote lines quickly", () => {
    const text = `Hi\n${">".repeat(700_000)}\nasdf\nA${">".repeat(700_000)}\n`;
    const start = performance.now();
    expect(visibleReply(text).visible.startsWith("Hi\nasdf")).toBe(true);
    expect(performance.now() - start).toBeLessThan(1000);
  });
});
