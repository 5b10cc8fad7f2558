import Link from "next/link";

export default function Forbidden() {
  return (
    <main
      id="main"
      className="mx-auto flex min-h-[70vh] max-w-lg flex-col items-center justify-center px-4 text-center"
    >
      <p className="text-sm font-semibold text-indigo-600">403</p>
      <h1 className="mt-2 text-3xl font-semibold tracking-tight text-slate-900">
        This area is for our staff
      </h1>
      <p className="mt-3 text-slate-600">
        Your account doesn&apos;t have access to this page.
      </p>
      <Link
        href="/"
        className="mt-6 text-sm font-medium text-indigo-600 hover:text-indigo-500"
      >
        Back to the portal
      </Link>
    </main>
  );
}
