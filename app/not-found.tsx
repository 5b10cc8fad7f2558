import Link from "next/link";
import { connection } from "next/server";

// Rendered per request, not prerendered: a static page would carry no CSP nonce, and the browser
// would refuse every script on it.
export default async function NotFound() {
  await connection();
  return (
    <main
      id="main"
      className="mx-auto flex min-h-[70vh] max-w-lg flex-col items-center justify-center px-4 text-center"
    >
      <p className="text-sm font-semibold text-indigo-600">404</p>
      <h1 className="mt-2 text-3xl font-semibold tracking-tight text-slate-900">
        Page not found
      </h1>
      <p className="mt-3 text-slate-600">
        This page doesn&apos;t exist, or you don&apos;t have access to it. If
        you followed a link from an email, make sure you&apos;re signed in with
        the right account.
      </p>
      <div className="mt-6 flex flex-wrap justify-center gap-4 text-sm font-medium">
        <Link href="/" className="text-indigo-600 hover:text-indigo-500">
          Go home
        </Link>
        <Link href="/tickets" className="text-indigo-600 hover:text-indigo-500">
          Your tickets
        </Link>
        <Link href="/contact" className="text-indigo-600 hover:text-indigo-500">
          Contact support
        </Link>
      </div>
    </main>
  );
}
