"use client";

import { useActionState, useEffect, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { SubmitButton } from "@/components/ui/submit-button";
import { IMAGE_MAX_BYTES, IMAGE_TYPES } from "@/lib/catalog/schemas";
import { formatByteSize } from "@/lib/format";
import { initialFormState, type FormState } from "@/lib/forms";

type Props = {
  action: (prev: FormState, form: FormData) => Promise<FormState>;
  productId: string;
  /** The image the product shows now, if any. */
  currentUrl: string | null;
};

/** Uploads a product image, previewing the chosen file before it is sent. */
export function ProductImageForm({ action, productId, currentUrl }: Props) {
  const [state, formAction] = useActionState(action, initialFormState);
  // A preview belongs to the answer it was chosen after; the next answer (saved or refused) drops it.
  const [chosen, setChosen] = useState<{ url: string; after: FormState }>();
  useEffect(() => {
    const url = chosen?.url;
    return () => {
      if (url) URL.revokeObjectURL(url);
    };
  }, [chosen]);
  const preview = chosen?.after === state ? chosen.url : null;
  const shown = preview ?? currentUrl;
  const errors = state.fields?.image;
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <input type="hidden" name="productId" value={productId} />
      <div className="grid aspect-[4/3] place-items-center overflow-hidden rounded-md bg-slate-100 ring-1 ring-slate-200">
        {shown ? (
          // A blob: preview or our own image route; nothing for next/image to optimise.
          // eslint-disable-next-line @next/next/no-img-element
          <img
            src={shown}
            alt={preview ? "Preview of the chosen image" : "Current image"}
            className="size-full object-cover"
          />
        ) : (
          <p className="px-4 text-center text-sm text-slate-500">
            No image yet: the shop shows a neutral placeholder.
          </p>
        )}
      </div>
      <div className="space-y-1.5">
        <label
          htmlFor="product-image"
          className="block text-sm font-medium text-slate-900"
        >
          {currentUrl ? "Replace image" : "Image"}
        </label>
        <input
          id="product-image"
          name="image"
          type="file"
          accept={IMAGE_TYPES.join(",")}
          required
          aria-invalid={Boolean(errors?.length)}
          aria-describedby={
            errors?.length ? "product-image-error" : "product-image-hint"
          }
          onChange={(e) => {
            const file = e.target.files?.[0];
            setChosen(
              file
                ? { url: URL.createObjectURL(file), after: state }
                : undefined,
            );
          }}
          className="block w-full text-sm text-slate-700 file:mr-3 file:rounded-md file:border-0 file:bg-slate-100 file:px-3 file:py-2 file:text-sm file:font-medium file:text-slate-900 hover:file:bg-slate-200"
        />
        {errors?.length ? (
          <p id="product-image-error" className="text-sm text-red-600">
            {errors.join(" ")}
          </p>
        ) : (
          <p id="product-image-hint" className="text-xs text-slate-500">
            PNG, JPEG, WebP or GIF, up to {formatByteSize(IMAGE_MAX_BYTES)}. A
            4:3 picture fits best.
          </p>
        )}
      </div>
      {state.message && !errors?.length ? (
        <Alert tone={state.ok ? "success" : "error"}>{state.message}</Alert>
      ) : null}
      <SubmitButton pendingLabel="Uploading…" variant="secondary">
        Upload image
      </SubmitButton>
    </form>
  );
}
