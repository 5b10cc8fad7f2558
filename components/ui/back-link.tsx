import Link from "next/link";
import type { ReactNode } from "react";

export function BackLink({
  href,
  children,
}: {
  href: string;
  children: ReactNode;
}) {
  return (
    <Link
      href={href}
      className="mb-4 inline-block text-sm text-slate-600 hover:text-slate-900"
    >
      ← {children}
    </Link>
  );
}
