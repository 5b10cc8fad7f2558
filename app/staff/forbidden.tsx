import { ButtonLink } from "@/components/ui/button";

// An agent on an admin-only page: still inside the staff desk, told why and sent back to work
// (customers never get this far: the staff layout refuses them with the site-wide 403 page).
export default function StaffForbidden() {
  return (
    <div className="mx-auto flex max-w-lg flex-col items-center py-16 text-center">
      <p className="text-sm font-semibold text-indigo-700">403</p>
      <h1 className="mt-2 text-2xl font-semibold tracking-tight text-slate-900">
        Only administrators can open this page
      </h1>
      <p className="mt-3 text-slate-600">
        Settings are kept by administrators. Ask one of them if something here
        needs changing.
      </p>
      <ButtonLink href="/staff" variant="secondary" className="mt-6">
        Back to the queue
      </ButtonLink>
    </div>
  );
}
