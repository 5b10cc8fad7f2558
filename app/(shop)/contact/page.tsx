import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "@/components/ui/card";
import { getViewer } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { sendContactMessageAction } from "./actions";
import { ContactForm } from "./contact-form";

export const metadata: Metadata = { title: "Contact support" };

export default async function ContactPage() {
  const viewer = await getViewer();
  const { supportAddress, attachments } = env();
  return (
    <div className="mx-auto w-full max-w-2xl px-4 py-12 sm:px-6">
      <h1 className="text-2xl font-semibold tracking-tight text-slate-900">
        Contact support
      </h1>
      <p className="mt-2 [overflow-wrap:anywhere] text-slate-600">
        No account needed. Tell us what you need and we answer by mail; you can
        also write to{" "}
        <a
          href={`mailto:${supportAddress}`}
          className="font-medium text-indigo-700 hover:text-indigo-600"
        >
          {supportAddress}
        </a>
        .
        {viewer ? (
          <>
            {" "}
            Signed in? Open a ticket from{" "}
            <Link
              href="/tickets/new"
              className="font-medium text-indigo-700 hover:text-indigo-600"
            >
              your tickets
            </Link>{" "}
            to follow it here.
          </>
        ) : null}
      </p>
      <Card className="mt-8 p-6">
        <ContactForm
          action={sendContactMessageAction}
          maxBytes={attachments.maxBytes}
        />
      </Card>
    </div>
  );
}
