"use client";

import { useCallback, useEffect, useRef, useState } from "react";

type Status = "idle" | "saving" | "saved" | "failed";

// Autosave a little after the agent stops typing, and at once when the tab is hidden or left.
const DEBOUNCE_MS = 800;

/**
 * Keeps a reply or note box's text on the server as the agent's draft (PUT …/draft). `settle()`
 * waits for any save under way and cancels a pending one, so a send is never followed by a stale
 * save that would bring the draft back; `sent(true)` records that the server discarded it.
 */
export function useDraft({
  number,
  kind,
  text,
  saved,
}: {
  number: string;
  kind: "reply" | "note";
  text: string;
  saved: string;
}) {
  const [status, setStatus] = useState<Status>(saved.trim() ? "saved" : "idle");
  const lastSaved = useRef<string | null>(saved);
  const latest = useRef(text);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const inFlight = useRef<Promise<void>>(Promise.resolve());

  const save = useCallback(
    (body: string, keepalive = false): Promise<void> => {
      if (body === lastSaved.current) return inFlight.current;
      lastSaved.current = body;
      setStatus("saving");
      const run = inFlight.current.then(async () => {
        try {
          const res = await fetch(`/api/staff/tickets/${number}/draft`, {
            method: "PUT",
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify({ kind, body }),
            keepalive,
          });
          if (!res.ok) throw new Error(`draft: ${res.status}`);
          setStatus(body.trim() ? "saved" : "idle");
        } catch {
          // Not saved: the next keystroke (or leaving the page) tries again.
          lastSaved.current = null;
          setStatus("failed");
        }
      });
      inFlight.current = run;
      return run;
    },
    [number, kind],
  );

  useEffect(() => {
    latest.current = text;
    clearTimeout(timer.current);
    if (text === lastSaved.current) return;
    timer.current = setTimeout(() => void save(text), DEBOUNCE_MS);
    return () => clearTimeout(timer.current);
  }, [text, save]);

  useEffect(() => {
    const flush = () => {
      clearTimeout(timer.current);
      void save(latest.current, true);
    };
    const onVisibility = () => {
      if (document.visibilityState === "hidden") flush();
    };
    document.addEventListener("visibilitychange", onVisibility);
    window.addEventListener("pagehide", flush);
    return () => {
      document.removeEventListener("visibilitychange", onVisibility);
      window.removeEventListener("pagehide", flush);
    };
  }, [save]);

  return {
    status,
    settle: async () => {
      clearTimeout(timer.current);
      await inFlight.current;
    },
    sent: (ok: boolean) => {
      if (ok) {
        lastSaved.current = "";
        setStatus("idle");
      } else {
        // Refused: what the agent typed is kept, and kept as the draft too.
        lastSaved.current = null;
        void save(latest.current);
      }
    },
  };
}
