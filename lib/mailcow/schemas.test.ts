import { describe, expect, it } from "vitest";
import {
  firstFreeMailboxName,
  mailboxNameProblem,
  suggestMailboxName,
} from "@/lib/mailcow/mailbox-name";

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
