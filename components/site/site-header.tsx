import Link from "next/link";
import type { Viewer } from "@/lib/auth/viewer";
import { isStaff } from "@/lib/auth/viewer";
import { buttonVariants } from "@/components/ui/button";
import { cn } from "@/lib/cn";

const NAV = [
  { href: "/products", label: "Products" },
  { href: "/orders", label: "Orders" },
  { href: "/services", label: "Services" },
  { href: "/tickets", label: "Tickets" },
  { href: "/mailbox", label: "Mailbox" },
];

type Props = {
  viewer: Viewer | null;
  /** Mailboxes are switched on (Mailcow configured); without them the menu has no Mailbox item. */
  mailboxes: boolean;
  signOutAction: () => Promise<void>;
  /** Items in the visitor's or customer's cart; the cart link shows for everyone but staff. */
  cartCount?: number;
};

export function SiteHeader({
  viewer,
  mailboxes,
  signOutAction,
  cartCount = 0,
}: Props) {
  const nav = NAV.filter((item) => mailboxes || item.href !== "/mailbox");
  return (
    <header className="border-b border-slate-200 bg-white print:hidden">
      <div className="mx-auto flex h-16 max-w-6xl items-center gap-3 px-4 sm:gap-6 sm:px-6">
        <Link
          href="/"
          className="flex items-center gap-2 font-semibold tracking-tight text-slate-900"
        >
          <span
            aria-hidden
            className="grid size-8 place-items-center rounded-md bg-indigo-600 text-white"
          >
            P
          </span>
          Portico
        </Link>
        <nav aria-label="Main" className="hidden items-center gap-1 md:flex">
          {nav.map((item) => (
            <Link
              key={item.href}
              href={item.href}
              className="rounded-md px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100"
            >
              {item.label}
            </Link>
          ))}
        </nav>
        <div className="ml-auto flex items-center gap-2">
          {viewer && isStaff(viewer) ? null : (
            <Link
              href="/cart"
              className="rounded-md px-2 py-2 text-sm font-medium whitespace-nowrap text-slate-700 hover:bg-slate-100 sm:px-3"
            >
              Cart
              {cartCount > 0 ? (
                <span className="ml-1.5 rounded-full bg-indigo-600 px-1.5 py-0.5 text-xs font-semibold text-white">
                  <span className="sr-only">: </span>
                  {cartCount}
                  <span className="sr-only"> items</span>
                </span>
              ) : null}
            </Link>
          )}
          {viewer ? (
            <AccountMenu viewer={viewer} signOutAction={signOutAction} />
          ) : (
            <>
              <Link
                href="/sign-in"
                className={cn(
                  buttonVariants({ variant: "ghost", size: "sm" }),
                  "whitespace-nowrap",
                )}
              >
                Sign in
              </Link>
              {/* On a phone it lives in the menu, so the header never outgrows the screen. */}
              <Link
                href="/sign-up"
                className={cn(
                  buttonVariants({ size: "sm" }),
                  "hidden whitespace-nowrap sm:inline-flex",
                )}
              >
                Create account
              </Link>
            </>
          )}
          <details className="relative md:hidden">
            <summary className="cursor-pointer list-none rounded-md px-3 py-2 text-sm font-medium text-slate-700 ring-1 ring-slate-300 hover:bg-slate-50">
              Menu
            </summary>
            <nav
              aria-label="Main"
              className="absolute right-0 z-20 mt-2 w-48 rounded-md bg-white p-1 shadow-lg ring-1 ring-slate-200"
            >
              {nav.map((item) => (
                <Link
                  key={item.href}
                  href={item.href}
                  className="block rounded px-3 py-2 text-sm text-slate-700 hover:bg-slate-100"
                >
                  {item.label}
                </Link>
              ))}
              {viewer ? null : (
                <Link
                  href="/sign-up"
                  className="block rounded px-3 py-2 text-sm font-medium text-indigo-700 hover:bg-slate-100"
                >
                  Create account
                </Link>
              )}
            </nav>
          </details>
        </div>
      </div>
    </header>
  );
}

function AccountMenu({
  viewer,
  signOutAction,
}: {
  viewer: Viewer;
  signOutAction: () => Promise<void>;
}) {
  return (
    <details className="relative">
      <summary
        className="flex cursor-pointer list-none items-center gap-2 rounded-full py-1 pr-3 pl-1 text-sm font-medium text-slate-700 ring-1 ring-slate-200 hover:bg-slate-50"
        aria-label={`Account menu for ${viewer.name}`}
      >
        <span
          aria-hidden
          className="grid size-7 place-items-center rounded-full bg-indigo-100 text-xs font-semibold text-indigo-700"
        >
          {initials(viewer.name)}
        </span>
        <span
          dir="auto"
          title={viewer.name}
          className="hidden max-w-48 truncate sm:block"
        >
          {viewer.name}
        </span>
      </summary>
      <div className="absolute right-0 z-20 mt-2 w-56 rounded-md bg-white p-1 shadow-lg ring-1 ring-slate-200">
        <p
          className="truncate px-3 py-2 text-xs text-slate-500"
          title={viewer.email}
        >
          {viewer.email}
        </p>
        {isStaff(viewer) ? (
          <Link
            href="/staff"
            className="block rounded px-3 py-2 text-sm text-slate-700 hover:bg-slate-100"
          >
            Staff desk
          </Link>
        ) : (
          <Link
            href="/account"
            className="block rounded px-3 py-2 text-sm text-slate-700 hover:bg-slate-100"
          >
            Account
          </Link>
        )}
        <form action={signOutAction}>
          <button
            type="submit"
            className="block w-full rounded px-3 py-2 text-left text-sm text-slate-700 hover:bg-slate-100"
          >
            Sign out
          </button>
        </form>
      </div>
    </details>
  );
}

function initials(name: string): string {
  return (
    name
      .split(/\s+/)
      .filter(Boolean)
      .slice(0, 2)
      // By code point: the first UTF-16 unit of an emoji is half a character.
      .map((part) => Array.from(part)[0]?.toUpperCase())
      .join("") || "?"
  );
}
