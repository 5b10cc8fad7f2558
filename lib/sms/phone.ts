import "server-only";
import {
  parsePhoneNumberFromString,
  validatePhoneNumberLength,
  type CountryCode,
  type NumberType,
} from "libphonenumber-js/max";
import { fail, ok, type Result } from "@/lib/result";

// Phone numbers as people type them, turned into the E.164 form both SMS providers expect. The "max"
// metadata is the one that knows which number ranges are mobile, so a landline is refused here
// instead of being paid for and lost at the provider.

export type Phone = {
  /** "+447400123456": what is stored and sent. */
  e164: string;
  /** "07400 123456": how the number is written inside its own country. */
  national: string;
  /** ISO 3166 code ("GB"); absent for numbers shared by several countries' plans. */
  country?: string;
};

export type { CountryCode };

// Longer than any real number written with generous spacing: garbage is refused before parsing.
const MAX_INPUT_LENGTH = 40;
// Digits, a leading + and the separators people type; letters, emoji and the rest are refused.
const TYPED_NUMBER = /^\+?[\d\s().\-/]+$/;
// Ranges that cannot receive a text message (libphonenumber's types).
const NOT_TEXTABLE: ReadonlySet<NonNullable<NumberType>> = new Set([
  "FIXED_LINE",
  "TOLL_FREE",
  "PREMIUM_RATE",
  "SHARED_COST",
  "UAN",
  "VOICEMAIL",
  "PAGER",
]);

const LENGTH_MESSAGES: Record<string, string> = {
  TOO_SHORT: "That phone number is too short.",
  TOO_LONG: "That phone number is too long.",
  INVALID_LENGTH: "That phone number has the wrong number of digits.",
  INVALID_COUNTRY:
    "Start the number with + and its country code, for example +44 7400 123456.",
  NOT_A_NUMBER: "That is not a phone number.",
};

/** Reads a typed number; without a leading + or 00 it is read as a number of `defaultCountry`. */
export function parsePhone(
  input: string,
  defaultCountry?: CountryCode,
): Result<Phone> {
  const typed = input.trim();
  if (typed === "") return invalid("Enter a phone number.");
  if (typed.length > MAX_INPUT_LENGTH || !TYPED_NUMBER.test(typed))
    return invalid("That is not a phone number.");
  // "00" is the international prefix in most of the world; read it as "+" whatever the default country.
  const text = typed.startsWith("00") ? `+${typed.slice(2)}` : typed;
  const lengthProblem = validatePhoneNumberLength(text, defaultCountry);
  if (lengthProblem)
    return invalid(
      LENGTH_MESSAGES[lengthProblem] ?? "That is not a phone number.",
    );
  const phone = parsePhoneNumberFromString(text, { defaultCountry });
  if (!phone?.isValid())
    return invalid(
      phone
        ? "That is not a valid phone number."
        : "That is not a phone number.",
    );
  const type = phone.getType();
  if (type && NOT_TEXTABLE.has(type))
    return invalid(
      "That is not a phone number we can send texts to: please use a mobile number.",
    );
  return ok({
    e164: phone.number,
    national: phone.formatNational(),
    ...(phone.country && { country: phone.country }),
  });
}

/**
 * "+447911123789" → "+44 •••• ••• 789": the country code and the last three digits, for logs, admin
 * screens and "we sent a code to…". Something that is not E.164 shows only its last three digits.
 */
export function maskPhone(e164: string): string {
  const phone = parsePhoneNumberFromString(e164);
  const digits = (phone?.nationalNumber ?? e164).replace(/\D/g, "");
  const hidden = "•".repeat(Math.max(digits.length - 3, 4));
  // Dots in fours, like a written number, without revealing how the country groups its digits.
  const groups = hidden.match(/•{1,4}/g)?.join(" ") ?? hidden;
  const prefix = phone ? `+${phone.countryCallingCode} ` : "";
  return `${prefix}${groups} ${digits.slice(-3)}`;
}

const invalid = (message: string) =>
  fail("invalid_input", message, { fields: { phone: [message] } });

/** Masks every E.164-looking number inside a provider's message, so it can be shown and logged. */
export function maskPhonesIn(text: string): string {
  return text.replace(/\+\d{6,15}/g, (number) => maskPhone(number));
}
