"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";

const EVERY_MS = 5_000;
// Long enough for a scheduled retry or two; after that the customer reloads by hand.
const FOR_MS = 5 * 60_000;

/** Re-renders the page from the server now and then, so a change made elsewhere (a mailbox that
 * becomes ready, a payment confirmed by webhook) shows up. */
export function RefreshWhilePending() {
  const router = useRouter();
  useEffect(() => {
    const started = Date.now();
    const timer = setInterval(() => {
      if (Date.now() - started > FOR_MS) clearInterval(timer);
      else router.refresh();
    }, EVERY_MS);
    return () => clearInterval(timer);
  }, [router]);
  return null;
}
