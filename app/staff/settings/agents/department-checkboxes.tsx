import { Checkbox } from "@/components/ui/checkbox";

type Props = {
  idPrefix: string;
  departments: Array<{ id: number; name: string }>;
  checked: string[];
  errors?: string[];
};

/** The departments an agent works in, as a checkbox group sent under one name. */
export function DepartmentCheckboxes({
  idPrefix,
  departments,
  checked,
  errors,
}: Props) {
  const errorId = `${idPrefix}-departments-error`;
  return (
    <fieldset
      className="space-y-2"
      aria-describedby={errors?.length ? errorId : undefined}
    >
      <legend className="mb-1.5 text-sm font-medium text-slate-900">
        Departments
      </legend>
      {departments.length === 0 ? (
        <p className="text-sm text-slate-500">No departments yet.</p>
      ) : (
        <div className="grid gap-2 sm:grid-cols-2">
          {departments.map((d) => (
            <Checkbox
              key={d.id}
              id={`${idPrefix}-department-${d.id}`}
              name="departmentIds"
              value={String(d.id)}
              label={d.name}
              defaultChecked={checked.includes(String(d.id))}
            />
          ))}
        </div>
      )}
      <p className="text-xs text-slate-500">
        Agents work the tickets of their departments.
      </p>
      {errors?.length ? (
        <p id={errorId} className="text-sm text-red-600">
          {errors.join(" ")}
        </p>
      ) : null}
    </fieldset>
  );
}
