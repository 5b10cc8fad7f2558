"use client";

import { useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";

type Presence = {
  viewers: Array<{
    id: string;
    name: string;
    writing: "reply" | "note" | null;
  }>;
  lastMessageAt: string;
  updatedAt: string;
};

/**
 * Heartbeat while the workspace is open: tells who else is looking at the ticket, and warns when it
 * changed after this page was rendered (a colleague replied), so nobody answers twice.
 */
export function PresenceNotice({
  number,
  renderedUpdatedAt,
}: {
  number: string;
  renderedUpdatedAt: string;
}) {
  const router = useRouter();
  const { data } = useQuery({
    queryKey: ["tickets", "presence", number],
    queryFn: async ({ signal }) => {
      const res = await fetch(`/api/staff/tickets/${number}/presence`, {
        method: "POST",
        signal,
      });
      if (!res.ok) throw new Error(`presence: ${res.status}`);
      return (await res.json()) as Presence;
    },
    refetchInterval: 5000,
    refetchIntervalInBackground: true,
  });
  if (!data) return null;
  const changed =
    new Date(data.updatedAt).getTime() > new Date(renderedUpdatedAt).getTime();
  if (!changed && data.viewers.length === 0) return null;
  return (
    <div role="status" className="space-y-2">
      {data.viewers.length ? (
        <p className="rounded-md bg-sky-50 px-4 py-2 text-sm [overflow-wrap:anywhere] text-sky-900 ring-1 ring-sky-200">
          {describeViewers(data.viewers)}
        </p>
      ) : null}
      {changed ? (
        <div className="flex items-center justify-between gap-3 rounded-md bg-amber-50 px-4 py-2 text-sm text-amber-900 ring-1 ring-amber-200">
          <span>
            This ticket changed since you opened it (a new message or update).
          </span>
          <Button
            size="sm"
            variant="secondary"
            onClick={() => router.refresh()}
          >
            Show changes
          </Button>
        </div>
      ) : null}
    </div>
  );
}

/** "Sam is writing a reply. Kim is also viewing this ticket." */
function describeViewers(viewers: Presence["viewers"]): string {
  const writing = viewers
    .filter((v) => v.writing)
    .map(
      (v) =>
        `${v.name.trim() || "An agent"} is writing ${v.writing === "reply" ? "a reply" : "an internal note"}.`,
    );
  const watching = viewers.filter((v) => !v.writing).map((v) => v.name);
  if (watching.length)
    writing.push(
      `${watching.join(", ")} ${watching.length === 1 ? "is" : "are"} also viewing this ticket.`,
    );
  return writing.join(" ");
}
