import type { Metadata } from "next";
import Link from "next/link";
import { Card, PageHeader } from "@/components/ui/card";
import { requireCustomer } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Your account" };

export default async function AccountPage() {
  const viewer = await requireCustomer("/account");
  return (
    <>
      <PageHeader title="Your account" />
      <Card className="max-w-xl p-6">
        <dl className="grid grid-cols-[8rem_minmax(0,1fr)] gap-y-3 text-sm [overflow-wrap:anywhere]">
          <dt className="text-slate-500">Name</dt>
          <dd dir="auto" className="text-slate-900">
            {viewer.name}
          </dd>
          <dt className="text-slate-500">Email</dt>
          <dd className="text-slate-900">{viewer.email}</dd>
          <dt className="text-slate-500">Password</dt>
          <dd>
            <Link
              href="/reset-password"
              className="text-indigo-600 hover:text-indigo-500"
            >
              Change it by email link
            </Link>
          </dd>
        </dl>
      </Card>
    </>
  );
}
