import { Field } from "@/components/ui/field";
import { formatByteSize } from "@/lib/format";

/** A multiple-file input with the limits spelled out. */
export function AttachmentsField({
  errors,
  maxBytes,
  id = "attachments",
}: {
  errors?: string[];
  /** The per-file limit, in bytes. */
  maxBytes: number;
  id?: string;
}) {
  return (
    <Field
      id={id}
      label="Attachments (optional)"
      errors={errors}
      hint={`Images, PDF, text or zip, up to ${formatByteSize(maxBytes)} each.`}
    >
      {(aria) => (
        <input
          {...aria}
          name="attachments"
          type="file"
          multiple
          className="block w-full text-sm text-slate-700 file:mr-3 file:rounded-md file:border-0 file:bg-slate-100 file:px-3 file:py-2 file:text-sm file:font-medium file:text-slate-700 hover:file:bg-slate-200"
        />
      )}
    </Field>
  );
}
