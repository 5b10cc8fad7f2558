import { cn } from "@/lib/cn";
import { formatByteSize } from "@/lib/format";

const TONES = {
  ok: { bar: "bg-indigo-600", text: "text-slate-700" },
  high: { bar: "bg-amber-500", text: "text-amber-800" },
  full: { bar: "bg-red-600", text: "text-red-700" },
};

/** Mailbox storage in use; a total of 0 means the mailbox has no quota (Mailcow's "unlimited"). */
export function QuotaBar({
  usedBytes,
  totalBytes,
}: {
  usedBytes: number;
  totalBytes: number;
}) {
  const used = formatByteSize(usedBytes);
  if (totalBytes <= 0) {
    return (
      <p className="text-sm text-slate-600">
        <span className="font-medium text-slate-900">{used}</span> used ·
        Unlimited
      </p>
    );
  }

  const total = formatByteSize(totalBytes);
  const ratio = Math.max(0, usedBytes) / totalBytes;
  const percent = Math.round(ratio * 100);
  // Usage can pass the quota (Dovecot counts after the fact); the text says so, the bar stops at full.
  const filled = Math.min(100, percent);
  const tone = ratio > 0.95 ? TONES.full : ratio > 0.8 ? TONES.high : TONES.ok;

  return (
    <div>
      <div className="flex items-baseline justify-between gap-4 text-sm">
        <p className="text-slate-600">
          <span className="font-medium text-slate-900">{used}</span> of {total}{" "}
          used
        </p>
        <p className={cn("font-medium tabular-nums", tone.text)}>{percent}%</p>
      </div>
      <div
        role="progressbar"
        aria-label="Mailbox storage used"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={filled}
        aria-valuetext={`${used} of ${total} used (${percent}%)`}
        className="mt-1.5 h-2 overflow-hidden rounded-full bg-slate-100"
      >
        <div
          className={cn("h-full rounded-full", tone.bar)}
          style={{ width: `${filled}%` }}
        />
      </div>
    </div>
  );
}
