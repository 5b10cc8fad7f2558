import Link from "next/link";

export function SiteFooter({ supportAddress }: { supportAddress: string }) {
  return (
    <footer className="mt-16 border-t border-slate-200 bg-white print:hidden">
      <div className="mx-auto flex max-w-6xl flex-wrap justify-between gap-4 px-4 py-8 text-sm text-slate-500 sm:px-6">
        <p>Portico: services, support and mail in one place.</p>
        <p className="[overflow-wrap:anywhere]">
          Need help?{" "}
          <Link
            href="/contact"
            className="font-medium text-indigo-700 hover:text-indigo-600"
          >
            Contact support
          </Link>{" "}
          or write to{" "}
          <a
            href={`mailto:${supportAddress}`}
            className="font-medium text-indigo-700 hover:text-indigo-600"
          >
            {supportAddress}
          </a>
          .
        </p>
      </div>
    </footer>
  );
}
