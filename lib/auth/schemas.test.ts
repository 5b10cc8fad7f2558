import { describe, expect, it } from "vitest";
import {
  passwordResetInput,
  callbackPath,
  safeCallbackPath,
  signUpInput,
} from "@/lib/auth/schemas";

const fieldErrors = (r: ReturnType<typeof signUpInput.safeParse>) =>
  r.success
    ? {}
    : Object.fromEntries(
        r.error.issues.map((i) => [i.path.join("."), i.message]),
      );

describe("sign-up rules", () => {
  const valid = {
    name: "Dana Scully",
    email: "Dana@Example.COM ",
    password: "correct horse battery",
  };

  it("accepts a long passphrase and normalises the email", () => {
    const r = signUpInput.safeParse(valid);
    expect(r.success && r.data.email).toBe("dana@example.com");
  });

  it.each([
    ["short", "Use at least 10 characters."],
    ["password123", "This password is too common; choose another."],
    ["aaaaaaaaaaaa", "Use a less repetitive password."],
    ["dana-secret-2026", "Your password must not contain your email address."],
  ])("refuses %j with a message on the password field", (password, message) => {
    expect(
      fieldErrors(signUpInput.safeParse({ ...valid, password })).password,
    ).toBe(message);
  });

  it("gives an empty form one message per field", () => {
    const r = signUpInput.safeParse({ name: "", email: "", password: "" });
    expect(
      r.error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`),
    ).toEqual([
      "name: Enter your name.",
      "email: Enter your email address.",
      "password: Use at least 10 characters.",
    ]);
  });

  it("allows a password that merely shares letters with a very short email name", () => {
    const r = signUpInput.safeParse({
      ...valid,
      email: "jo@example.com",
      password: "enjoy the long road",
    });
    expect(r.success).toBe(true);
  });

  it("asks for a name and a valid email, each on its own field", () => {
    const errors = fieldErrors(
      signUpInput.safeParse({
        name: " ",
        email: "not-an-email",
        password: valid.password,
      }),
    );
    expect(errors.name).toBe("Enter your name.");
    expect(errors.email).toBe("Enter a valid email address.");
  });
});

describe("password reset form", () => {
  it("reports a mismatched confirmation on the confirm field", () => {
    const r = passwordResetInput.safeParse({
      token: "t".repeat(43),
      password: "a fine new passphrase",
      confirm: "another",
    });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path.join("."))).toEqual(["confirm"]);
  });
});

describe("safeCallbackPath", () => {
  it.each([
    ["/tickets/123456", "/tickets/123456"],
    ["/staff?x=1", "/staff?x=1"],
    ["/tickets?q=a%20b#latest", "/tickets?q=a%20b#latest"],
    ["/tickets/../staff", "/staff"],
    ["/ü", "/%C3%BC"],
    ["https://evil.example/", "/"],
    ["http://portal.invalid/tickets", "/"],
    ["//evil.example/path", "/"],
    ["/\\evil.example", "/"],
    ["\\\\evil.example", "/"],
    ["", "/"],
    [undefined, "/"],
  ])("%j → %j", (raw, expected) => {
    expect(safeCallbackPath(raw)).toBe(expected);
  });

  // Each of these led, or could lead after one more decode, to another site or to a broken header.
  it.each([
    ["a tab a browser drops", "/\t/evil.example"],
    ["the tab still encoded", "/%09/evil.example"],
    ["a line feed", "/\n/evil.example"],
    ["CR LF into the Location header", "/tickets\r\nSet-Cookie: a=b"],
    ["CR LF encoded", "/tickets%0d%0aSet-Cookie:%20a=b"],
    ["encoded slashes", "/%2F%2Fevil.example"],
    ["an encoded backslash", "/%5Cevil.example"],
    ["a dot segment that normalises to //", "/..//evil.example"],
    ["a NUL", "/tickets\u0000"],
    ["a malformed escape", "/tickets%E0%A4%A"],
    ["a C1 control", "/\u0085/evil.example"],
    ["a very long path", `/${"a".repeat(3000)}`],
  ])("refuses %s", (_why, raw) => {
    expect(callbackPath(raw)).toBeNull();
    expect(safeCallbackPath(raw, "/tickets")).toBe("/tickets");
  });
});
