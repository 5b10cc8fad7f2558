"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/lib/cn";

export type StaffNavItem = { href: string; label: string };

export function StaffNav({ items }: { items: StaffNavItem[] }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Staff" className="flex gap-1 overflow-x-auto lg:flex-col">
      {items.map((item) => {
        const active =
          item.href === "/staff"
            ? pathname === "/staff"
            : pathname.startsWith(item.href);
        return (
          <Link
            key={item.href}
            href={item.href}
            aria-current={active ? "page" : undefined}
            className={cn(
              "rounded-md px-3 py-2 text-sm font-medium whitespace-nowrap",
              active
                ? "bg-slate-800 text-white"
                : "text-slate-300 hover:bg-slate-800 hover:text-white",
            )}
          >
            {item.label}
          </Link>
        );
      })}
    </nav>
  );
}
