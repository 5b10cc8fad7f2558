"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { ActionButton } from "@/components/ui/action-button";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { formatDateTime } from "@/lib/format";
import type { FormState } from "@/lib/forms";

export type ImportView = {
  kind: "orders" | "products";
  title: string;
  running: boolean;
  /** Started and not finished: interrupted, or running in another process. */
  underWay: boolean;
  imported: number;
  finishedAt: string | null;
  since: string | null;
  lastError: string | null;
};

/** One import (orders or products): where it stands, and a button to start or resume it. */
export function ImportPanel({
  view,
  action,
}: {
  view: ImportView;
  action: (prev: FormState, form: FormData) => Promise<FormState>;
}) {
  const router = useRouter();
  // While it runs, follow it: the count comes from the database, page by page.
  useEffect(() => {
    if (!view.running) return;
    const timer = setInterval(() => router.refresh(), 2000);
    return () => clearInterval(timer);
  }, [view.running, router]);
  return (
    <Card className="space-y-3 p-5" aria-label={view.title}>
      <h2 className="font-medium text-slate-900">{view.title}</h2>
      <p className="text-sm text-slate-700" aria-live="polite">
        {view.running
          ? `Importing… ${view.imported} so far.`
          : view.underWay
            ? `Interrupted after ${view.imported}: importing again resumes where it stopped.`
            : view.finishedAt
              ? `Last import finished ${formatDateTime(new Date(view.finishedAt))} (${view.imported} brought in). The next one brings only what changed since.`
              : "Not imported yet."}
      </p>
      {view.lastError && !view.running ? (
        <Alert tone="error">{view.lastError}</Alert>
      ) : null}
      {view.running ? null : (
        <ActionButton
          action={action}
          fields={{ kind: view.kind }}
          pendingLabel="Starting…"
        >
          {view.underWay ? "Resume the import" : `Import ${view.kind}`}
        </ActionButton>
      )}
    </Card>
  );
}
