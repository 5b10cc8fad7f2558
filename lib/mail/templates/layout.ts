import "server-only";

export type RenderedMail = { subject: string; text: string; html: string };

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** Wraps paragraphs (already escaped HTML) in the shared, client-safe mail layout. */
export function mailHtml(
  title: string,
  paragraphsHtml: string[],
  action?: { label: string; url: string },
): string {
  const button = action
    ? `<p style="margin:24px 0"><a href="${escapeHtml(action.url)}" style="background:#4f46e5;color:#fff;padding:10px 18px;border-radius:6px;text-decoration:none;font-weight:600">${escapeHtml(action.label)}</a></p>`
    : "";
  return `<!doctype html><html><body style="font-family:system-ui,-apple-system,Segoe UI,sans-serif;color:#111827;line-height:1.5;max-width:560px;margin:0 auto;padding:24px">
<h1 style="font-size:18px;margin:0 0 16px">${escapeHtml(title)}</h1>
${paragraphsHtml.map((p) => `<p style="margin:0 0 12px">${p}</p>`).join("\n")}
${button}
<p style="color:#6b7280;font-size:12px;margin-top:32px">Portico customer portal</p>
</body></html>`;
}
