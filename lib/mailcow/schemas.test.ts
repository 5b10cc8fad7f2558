import { describe, expect, it } from "vitest";
import {
  firstFreeMailboxName,
  mailboxNameProblem,
  suggestMailboxName,
  mailboxPasswordHint,
  mailboxPasswordProblems,
} from "@/lib/mailcow/schemas";

describe("mailboxNameProblem", () => {
  it.each([
    "jane",
    "jane.doe",
    "jane-doe",
    "jane_doe",
    "j2",
    "a.b-c_d",
    "x".repeat(64),
  ])("accepts %s", (name) => expect(mailboxNameProblem(name)).toBeNull());

  it.each([
    ["", /Choose a name/],
    ["Jane", /lower-case/],
    ["jane..doe", /single/],
    [".jane", /single/],
    ["jane.", /single/],
    ["jane doe", /single/],
    ["jane+tag", /single/],
    ["jäne", /single/],
    ["x".repeat(65), /at most 64/],
    ["postmaster", /kept for the company/],
    ["support", /kept for the company/],
    ["noreply", /kept for the company/],
  ])("refuses %j", (name, message) =>
    expect(mailboxNameProblem(name)).toMatch(message),
  );
});

describe("suggestMailboxName", () => {
  it.each([
    ["Jane Doe", "jd@example.com", "jane.doe"],
    ["José Álvarez-Núñez", "x@example.com", "jose.alvarez.nunez"],
    ["Jürgen Groß", "x@example.com", "jurgen.gross"],
    ["Søren Ødegaard", "x@example.com", "soren.odegaard"],
    ["李雷", "li.lei+shop@example.com", "li.lei.shop"],
    ["", "Mary_Ann@example.com", "mary.ann"],
    ["Support", "x@example.com", "support1"],
  ])("%j, %j → %j", (name, email, expected) => {
    const suggestion = suggestMailboxName(name, email);
    expect(suggestion).toBe(expected);
    expect(mailboxNameProblem(suggestion)).toBeNull();
  });

  it("always suggests something valid, even from nothing usable", () => {
    const s = suggestMailboxName("!!!", "@example.com");
    expect(mailboxNameProblem(s)).toBeNull();
  });

  it("keeps long names within 64 characters without a trailing separator", () => {
    const s = suggestMailboxName(`${"a".repeat(63)} b`, "x@example.com");
    expect(s.length).toBeLessThanOrEqual(64);
    expect(mailboxNameProblem(s)).toBeNull();
  });
});

describe("firstFreeMailboxName", () => {
  it("offers the next number when the name is taken", async () => {
    const taken = new Set(["jane.doe", "jane.doe2"]);
    expect(
      await firstFreeMailboxName("jane.doe", async (n) => taken.has(n)),
    ).toBe("jane.doe3");
    expect(await firstFreeMailboxName("kim", async () => false)).toBe("kim");
  });

  it("gives up after the tries it is allowed", async () => {
    expect(await firstFreeMailboxName("kim", async () => true, 3)).toBeNull();
  });
});

describe("mailbox passwords", () => {
  const strict = {
    minBytes: 14,
    needsLetter: true,
    needsSpecial: true,
    needsLowerAndUpper: true,
    needsDigit: true,
  };

  it("accepts a long passphrase under Portico's own floor", () => {
    expect(mailboxPasswordProblems("violet harbour lantern", null)).toEqual([]);
  });

  it("refuses short, over-long, control-character and {SCHEME} passwords", () => {
    expect(mailboxPasswordProblems("short pass", null)).toEqual([
      "Use at least 12 characters.",
    ]);
    // 40 × "ä" is 40 characters but 80 bytes: over Dovecot's 72.
    expect(mailboxPasswordProblems("ä".repeat(40), null)[0]).toMatch(
      /at most 72 bytes/,
    );
    expect(mailboxPasswordProblems("line\nbreak inside", null)).toHaveLength(1);
    expect(mailboxPasswordProblems("{PLAIN}looks-prehashed", null)[0]).toMatch(
      /braces/,
    );
  });

  it("applies every rule of Mailcow's live policy, counting bytes not characters", () => {
    expect(mailboxPasswordProblems("all lower case words", strict)).toEqual([
      "Include both lower-case and upper-case letters.",
      "Include at least one digit.",
    ]);
    expect(mailboxPasswordProblems("Harbour Lantern 42", strict)).toEqual([]);
    // 13 characters, but "ä" makes it 14 bytes: enough for minBytes 14.
    expect(mailboxPasswordProblems("Äpfel-Birne-7", strict)).toEqual([]);
    expect(
      mailboxPasswordProblems("Apfel-Birne-7", { ...strict, minBytes: 14 }),
    ).toEqual(["The mail server asks for at least 14 characters."]);
  });

  it("describes the live policy in the form's hint", () => {
    expect(mailboxPasswordHint(strict)).toMatch(
      /at least 14 characters, lower- and upper-case letters, a digit/,
    );
    expect(mailboxPasswordHint(null)).toMatch(/at least 12 characters\./);
  });
});
