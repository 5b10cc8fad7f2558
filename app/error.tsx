"use client";

import { Button } from "@/components/ui/button";

export default function ErrorPage({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return (
    <main
      id="main"
      className="mx-auto flex min-h-[70vh] max-w-lg flex-col items-center justify-center px-4 text-center"
    >
      <p className="text-sm font-semibold text-red-600">Something went wrong</p>
      <h1 className="mt-2 text-3xl font-semibold tracking-tight text-slate-900">
        We couldn&apos;t load this page
      </h1>
      <p className="mt-3 text-slate-600">
        Nothing you entered was lost. Try again in a moment; if it keeps
        happening, tell us the reference below.
      </p>
      {error.digest ? (
        <p className="mt-2 font-mono text-xs text-slate-500">
          Reference: {error.digest}
        </p>
      ) : null}
      <Button className="mt-6" onClick={reset}>
        Try again
      </Button>
    </main>
  );
}
