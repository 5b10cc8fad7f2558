import type { ComponentProps, ReactNode } from "react";
import { cn } from "@/lib/cn";

const control =
  "block w-full rounded-md border-0 bg-white px-3 py-2 text-slate-900 shadow-sm ring-1 ring-slate-300 ring-inset placeholder:text-slate-400 focus:ring-2 focus:ring-indigo-600 focus:outline-none sm:text-sm aria-[invalid=true]:ring-red-500";

type FieldProps = {
  id: string;
  label: string;
  errors?: string[];
  hint?: ReactNode;
  children: (aria: {
    id: string;
    "aria-invalid": boolean;
    "aria-describedby"?: string;
  }) => ReactNode;
};

/** A labelled control with its hint and field errors wired up for screen readers. */
export function Field({ id, label, errors, hint, children }: FieldProps) {
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const describedBy =
    [errors?.length ? errorId : null, hint ? hintId : null]
      .filter(Boolean)
      .join(" ") || undefined;
  return (
    <div className="space-y-1.5">
      <label htmlFor={id} className="block text-sm font-medium text-slate-900">
        {label}
      </label>
      {children({
        id,
        "aria-invalid": Boolean(errors?.length),
        "aria-describedby": describedBy,
      })}
      {hint && !errors?.length ? (
        <p id={hintId} className="text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
      {errors?.length ? (
        <p id={errorId} className="text-sm text-red-600">
          {errors.join(" ")}
        </p>
      ) : null}
    </div>
  );
}

export function Input({ className, ...props }: ComponentProps<"input">) {
  return <input className={cn(control, className)} {...props} />;
}

export function Textarea({ className, ...props }: ComponentProps<"textarea">) {
  return <textarea className={cn(control, "min-h-32", className)} {...props} />;
}

export function Select({ className, ...props }: ComponentProps<"select">) {
  return <select className={cn(control, "pr-8", className)} {...props} />;
}

/** The free-text box of a GET filter bar: submits as `q`. */
export function SearchField({
  defaultValue,
  placeholder,
}: {
  defaultValue: string | undefined;
  placeholder: string;
}) {
  return (
    <div className="min-w-56 flex-1">
      <label
        htmlFor="q"
        className="mb-1 block text-xs font-medium text-slate-600"
      >
        Search
      </label>
      <Input
        id="q"
        name="q"
        type="search"
        defaultValue={defaultValue}
        placeholder={placeholder}
      />
    </div>
  );
}

/** A new password and its confirmation (`password`, `confirm`): the pair every password form asks for. */
export function NewPasswordFields({
  label,
  confirmLabel,
  hint,
  errors,
}: {
  label: string;
  confirmLabel: string;
  hint?: ReactNode;
  errors?: { password?: string[]; confirm?: string[] };
}) {
  return (
    <>
      <Field id="password" label={label} errors={errors?.password} hint={hint}>
        {(aria) => (
          <Input
            {...aria}
            name="password"
            type="password"
            autoComplete="new-password"
            required
          />
        )}
      </Field>
      <Field id="confirm" label={confirmLabel} errors={errors?.confirm}>
        {(aria) => (
          <Input
            {...aria}
            name="confirm"
            type="password"
            autoComplete="new-password"
            required
          />
        )}
      </Field>
    </>
  );
}
