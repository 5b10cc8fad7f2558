import type { z } from "zod";
import type { AppError, FieldErrors, Result } from "@/lib/result";

// Shared by server actions and the forms that render their state. Client-safe.

export type FormState = {
  ok: boolean;
  message?: string;
  fields?: FieldErrors;
  /** What the user typed, so a failed submit loses nothing. Secrets are never included. */
  values?: Record<string, string>;
};

export const initialFormState: FormState = { ok: false };

const SECRET_FIELDS = /pass(word)?|secret|token|key/i;

export function parseForm<S extends z.ZodType>(
  schema: S,
  form: FormData,
): Result<z.output<S>> {
  const raw: Record<string, unknown> = {};
  for (const [name, value] of form.entries()) {
    if (name.startsWith("$ACTION")) continue;
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
    values: form ? echoValues(form) : undefined,
  };
}

function echoValues(form: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, value] of form.entries()) {
    if (
      typeof value !== "string" ||
      name.startsWith("$ACTION") ||
      SECRET_FIELDS.test(name)
    )
      continue;
    values[name] = value;
  }
  return values;
}
