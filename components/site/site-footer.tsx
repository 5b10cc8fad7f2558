export function SiteFooter() {
  return (
    <footer className="mt-16 border-t border-slate-200 bg-white print:hidden">
      <div className="mx-auto flex max-w-6xl flex-wrap justify-between gap-4 px-4 py-8 text-sm text-slate-500 sm:px-6">
        <p>Portico: services, support and mail in one place.</p>
        <p>Need help? Open a ticket or write to our support address.</p>
      </div>
    </footer>
  );
}
