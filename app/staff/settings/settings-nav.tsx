"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/lib/cn";

const SECTIONS = [
  { href: "/staff/settings", label: "Overview" },
  { href: "/staff/settings/departments", label: "Departments" },
  { href: "/staff/settings/help-topics", label: "Help topics" },
  { href: "/staff/settings/sla-plans", label: "SLA plans" },
  { href: "/staff/settings/canned-replies", label: "Canned replies" },
  { href: "/staff/settings/agents", label: "Agents" },
  { href: "/staff/settings/api-keys", label: "API keys" },
  { href: "/staff/settings/security", label: "Security" },
  { href: "/staff/settings/ban-list", label: "Ban list" },
  { href: "/staff/settings/products", label: "Products" },
  { href: "/staff/settings/mailcow", label: "Mailboxes (Mailcow)" },
  { href: "/staff/settings/shopify", label: "Shopify store" },
] as const;

export function SettingsNav() {
  const pathname = usePathname();
  return (
    <nav
      aria-label="Settings"
      className="mb-8 flex gap-1 overflow-x-auto border-b border-slate-200"
    >
      {SECTIONS.map((item) => {
        const active =
          item.href === "/staff/settings"
            ? pathname === item.href
            : pathname === item.href || pathname.startsWith(`${item.href}/`);
        return (
          <Link
            key={item.href}
            href={item.href}
            aria-current={active ? "page" : undefined}
            className={cn(
              "-mb-px border-b-2 px-3 py-2 text-sm font-medium whitespace-nowrap",
              active
                ? "border-indigo-600 text-indigo-700"
                : "border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900",
            )}
          >
            {item.label}
          </Link>
        );
      })}
    </nav>
  );
}
