import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { QueryProvider } from "@/components/providers/query-provider";
import { StaffNav, type StaffNavItem } from "@/components/staff/staff-nav";
import { requireStaffMember } from "@/lib/auth/session";
import { signOutAction } from "../(auth)/actions";

export const metadata: Metadata = {
  title: { default: "Staff desk", template: "%s · Staff · Portico" },
};

export default async function StaffLayout({
  children,
}: {
  children: ReactNode;
}) {
  const viewer = await requireStaffMember("/staff");
  const items: StaffNavItem[] = [
    { href: "/staff", label: "Queue" },
    { href: "/staff/dashboard", label: "Dashboard" },
    { href: "/staff/customers", label: "Customers" },
    { href: "/staff/orders", label: "Orders" },
    ...(viewer.role === "admin"
      ? [{ href: "/staff/outbox", label: "Outbox" }]
      : []),
    { href: "/staff/mail", label: "Mail" },
    { href: "/staff/account", label: "My account" },
    ...(viewer.role === "admin"
      ? [{ href: "/staff/settings", label: "Settings" }]
      : []),
  ];
  return (
    <div className="min-h-screen lg:flex">
      <aside className="bg-slate-900 px-4 py-4 lg:w-60 lg:shrink-0 lg:py-6">
        <div className="flex flex-wrap items-center justify-between gap-4 lg:block">
          <Link
            href="/staff"
            className="flex items-center gap-2 font-semibold text-white"
          >
            <span
              aria-hidden
              className="grid size-8 place-items-center rounded-md bg-indigo-500"
            >
              P
            </span>
            Staff desk
          </Link>
          {/* On phones the nav scrolls sideways inside the header instead of widening the page. */}
          <div className="max-w-full min-w-0 overflow-x-auto lg:mt-8">
            <StaffNav items={items} />
          </div>
        </div>
        <div className="mt-4 border-t border-slate-800 pt-4 text-sm lg:mt-10">
          <p dir="auto" title={viewer.name} className="truncate text-slate-300">
            {viewer.name}
          </p>
          <p className="truncate text-xs text-slate-400">
            {viewer.role === "admin" ? "Administrator" : "Agent"}
          </p>
          <form action={signOutAction} className="mt-3">
            <button type="submit" className="text-slate-300 hover:text-white">
              Sign out
            </button>
          </form>
        </div>
      </aside>
      <main id="main" className="min-w-0 flex-1 px-4 py-8 sm:px-8">
        <QueryProvider>{children}</QueryProvider>
      </main>
    </div>
  );
}
