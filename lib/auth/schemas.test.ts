import { describe, expect, it } from "vitest";
import {
  passwordResetInput,
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
    ["https://evil.example/", "/"],
    ["//evil.example/path", "/"],
    ["/\\evil.example", "/"],
    ["", "/"],
    [undefined, "/"],
  ])("%j → %j", (raw, expected) => {
    expect(safeCallbackPath(raw)).toBe(expected);
  });
});
