"use client";

import { useState } from "react";
import { Field, Input } from "@/components/ui/field";
import { mailboxNameProblem } from "@/lib/mailcow/schemas";

type Props = {
  domain: string;
  value: string;
  onChange: (value: string) => void;
  /** The server's verdict (taken, reserved…), shown until the name is edited. */
  errors?: string[];
};

/** The local part of the customer's address, with the domain beside it and the rules checked as you type. */
export function MailboxNameField({ domain, value, onChange, errors }: Props) {
  // The server's errors answered the name as it was sent; once edited, the live check takes over.
  const [editedAfter, setEditedAfter] = useState<string[] | undefined>();
  const server = errors !== editedAfter ? errors : undefined;
  const typed = value.trim().toLowerCase();
  const live = typed === "" ? null : mailboxNameProblem(typed);
  return (
    <Field
      id="mailboxName"
      label="Mailbox name"
      errors={server?.length ? server : live ? [live] : undefined}
      hint={
        <>
          Your company mailbox will be{" "}
          <strong>
            {typed || "name"}@{domain}
          </strong>
          . Letters a–z and digits, with single dots, dashes or underscores
          between.
        </>
      }
    >
      {(aria) => (
        <div className="flex items-stretch">
          <Input
            {...aria}
            name="mailboxName"
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            className="rounded-r-none"
            value={value}
            onChange={(e) => {
              setEditedAfter(errors);
              onChange(e.target.value);
            }}
            required
          />
          <span className="inline-flex items-center rounded-r-md bg-slate-50 px-3 text-sm text-slate-600 ring-1 ring-slate-300 ring-inset">
            @{domain}
          </span>
        </div>
      )}
    </Field>
  );
}
