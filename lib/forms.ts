import type { z } from "zod";
import type { AppError, FieldErrors, Result } from "@/lib/result";
import { storableText } from "@/lib/text";

// Shared by server actions and the forms that render their state. Client-safe.

export type FormState = {
  ok: boolean;
  message?: string;
  fields?: FieldErrors;
  /** What the user typed, so a failed submit loses nothing. Secrets are never included. */
  values?: Record<string, string>;
  /** A secret the user must copy now and will never see again (a new API key). */
  secret?: string;
  /** Every value of a field sent more than once (a checkbox group); `values` holds only the last. */
  lists?: Record<string, string[]>;
};

export const initialFormState: FormState = { ok: false };

// `confirm` is the repeated new password of every password form.
const SECRET_FIELDS = /pass(word)?|secret|token|key|confirm/i;

export function parseForm<S extends z.ZodType>(
  schema: S,
  form: FormData,
): Result<z.output<S>> {
  const raw: Record<string, unknown> = {};
  for (const [name, entry] of form.entries()) {
    if (name.startsWith("$ACTION")) continue;
    // A crafted post can carry a NUL or a lone surrogate, which no text column can store. Secrets are
    // only ever hashed, and must reach the hash exactly as typed.
    const value =
      typeof entry === "string" && !SECRET_FIELDS.test(name)
        ? storableText(entry)
        : entry;
    if (name in raw) {
      const prev = raw[name];
      raw[name] = Array.isArray(prev) ? [...prev, value] : [prev, value];
    } else {
      raw[name] = value;
    }
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    error: {
      code: "invalid_input",
      message: "Please correct the highlighted fields.",
      fields: zodFieldErrors(parsed.error),
    },
  };
}

export function zodFieldErrors(error: z.ZodError): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.join(".") : "form";
    (fields[key] ??= []).push(issue.message);
  }
  return fields;
}

export function formFailure(error: AppError, form?: FormData): FormState {
  return {
    ok: false,
    message: error.message,
    fields: error.fields,
    ...(form ? echoValues(form) : {}),
  };
}

function echoValues(form: FormData): Pick<FormState, "values" | "lists"> {
  const values: Record<string, string> = {};
  const all: Record<string, string[]> = {};
  for (const [name, value] of form.entries()) {
    if (
      typeof value !== "string" ||
      name.startsWith("$ACTION") ||
      SECRET_FIELDS.test(name)
    )
      continue;
    values[name] = value;
    (all[name] ??= []).push(value);
  }
  const repeated = Object.entries(all).filter(([, list]) => list.length > 1);
  return repeated.length
    ? { values, lists: Object.fromEntries(repeated) }
    : { values };
}

/**
 * What a checkbox group echoed back after a failed submit: every ticked value, or undefined when
 * the state carries no echo (first render, or after success) so the form shows the saved choice.
 */
export function echoedList(
  state: FormState,
  name: string,
): string[] | undefined {
  if (!state.values) return undefined;
  const single = state.values[name];
  return state.lists?.[name] ?? (single === undefined ? [] : [single]);
}

/** What a field shows: what the user sent if the last submit failed, else the saved value. */
export function echoedValue(
  state: FormState,
  name: string,
  saved: string,
): string {
  return state.values ? (state.values[name] ?? "") : saved;
}

/** Whether a checkbox shows ticked: as sent if the last submit failed, else as saved. */
export function echoedChecked(
  state: FormState,
  name: string,
  saved: boolean,
): boolean {
  return state.values ? state.values[name] === "on" : saved;
}
