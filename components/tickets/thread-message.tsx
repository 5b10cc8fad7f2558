import type { ReactNode } from "react";
import { cn } from "@/lib/cn";

export type ThreadAttachment = {
  id: string;
  filename: string;
  size: string;
  href: string;
};

type Props = {
  author: ReactNode;
  meta: ReactNode;
  tone: "customer" | "reply" | "note";
  /** Sanitised when it was stored; plain text is used when a message has no HTML. */
  html: string | null;
  text: string;
  /** For mail: the whole message as sent, when quoted history or a signature was cut from it. */
  original?: string | null;
  attachments: ThreadAttachment[];
};

const TONES = {
  customer: "bg-white ring-slate-200",
  reply: "bg-indigo-50/50 ring-indigo-100",
  note: "bg-amber-50 ring-amber-200 border-l-4 border-amber-400",
};

/** One message of a ticket thread: author line, body, attachment links. */
export function ThreadMessage({
  author,
  meta,
  tone,
  html,
  text,
  original,
  attachments,
}: Props) {
  return (
    <article
      className={cn("min-w-0 rounded-lg p-5 shadow-sm ring-1", TONES[tone])}
    >
      <header className="flex flex-wrap items-baseline gap-x-2 text-sm">
        <span
          dir="auto"
          className="min-w-0 font-medium [overflow-wrap:anywhere] text-slate-900"
        >
          {author}
        </span>
        <span className="text-slate-600">{meta}</span>
      </header>
      {html ? (
        <div
          dir="auto"
          className="mt-3 space-y-3 overflow-x-auto text-sm [overflow-wrap:anywhere] text-slate-800 [&_a]:text-indigo-600 [&_a]:underline [&_blockquote]:border-l-2 [&_blockquote]:border-slate-300 [&_blockquote]:pl-3 [&_blockquote]:text-slate-600 [&_img]:max-w-full"
          dangerouslySetInnerHTML={{ __html: html }}
        />
      ) : (
        <div
          dir="auto"
          className="mt-3 text-sm [overflow-wrap:anywhere] whitespace-pre-wrap text-slate-800"
        >
          {text}
        </div>
      )}
      {original ? (
        <details className="mt-3 text-xs text-slate-600">
          <summary className="cursor-pointer select-none hover:text-slate-700">
            Show the full message
          </summary>
          <div
            dir="auto"
            className="mt-2 max-h-96 overflow-auto rounded-md bg-slate-50 p-3 [overflow-wrap:anywhere] whitespace-pre-wrap text-slate-700 ring-1 ring-slate-200"
          >
            {original}
          </div>
        </details>
      ) : null}
      {attachments.length ? (
        <ul className="mt-4 flex flex-wrap gap-2" aria-label="Attachments">
          {attachments.map((a) => (
            <li key={a.id} className="max-w-full">
              <a
                href={a.href}
                className="inline-flex max-w-full items-center gap-1.5 rounded-md bg-white px-2.5 py-1 text-xs text-slate-700 ring-1 ring-slate-300 hover:bg-slate-50"
              >
                <span aria-hidden>📎</span>
                <span
                  dir="auto"
                  title={a.filename}
                  className="min-w-0 truncate"
                >
                  {a.filename}
                </span>
                <span className="shrink-0 text-slate-600">({a.size})</span>
              </a>
            </li>
          ))}
        </ul>
      ) : null}
    </article>
  );
}
