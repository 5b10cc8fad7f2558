"use client";

import { useActionState } from "react";
import { Checkbox } from "@/components/ui/checkbox";
import { Field, Input, Select, Textarea } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { PRODUCT_KIND_LABELS, PRODUCT_KINDS } from "@/lib/catalog/schemas";
import {
  echoedChecked,
  echoedValue,
  initialFormState,
  type FormState,
} from "@/lib/forms";
import { FormFrame } from "@/components/ui/form-frame";

type Props = {
  action: (prev: FormState, form: FormData) => Promise<FormState>;
  /** Categories already in use, offered as suggestions. */
  categories: string[];
  /** The product being edited; absent on the create form. */
  product?: {
    id: string;
    slug: string;
    name: string;
    summary: string;
    description: string;
    kind: "product" | "service";
    category: string;
    isAvailable: boolean;
    sortOrder: number;
  };
};

export function ProductForm({ action, categories, product }: Props) {
  const [state, formAction] = useActionState(action, initialFormState);
  const shown = {
    name: echoedValue(state, "name", product?.name ?? ""),
    slug: echoedValue(state, "slug", product?.slug ?? ""),
    summary: echoedValue(state, "summary", product?.summary ?? ""),
    description: echoedValue(state, "description", product?.description ?? ""),
    kind: echoedValue(state, "kind", product?.kind ?? "service"),
    category: echoedValue(state, "category", product?.category ?? ""),
    sortOrder: echoedValue(
      state,
      "sortOrder",
      product ? String(product.sortOrder) : "0",
    ),
    isAvailable: echoedChecked(
      state,
      "isAvailable",
      product?.isAvailable ?? true,
    ),
  };
  const prefix = product ? "product" : "new-product";
  return (
    <FormFrame state={state} action={formAction} shown={shown} id={product?.id}>
      <Field id={`${prefix}-name`} label="Name" errors={state.fields?.name}>
        {(aria) => (
          <Input
            {...aria}
            name="name"
            dir="auto"
            defaultValue={shown.name}
            required
          />
        )}
      </Field>
      <Field
        id={`${prefix}-slug`}
        label="Address name"
        errors={state.fields?.slug}
        hint="The product page is /products/ followed by this: lower-case letters, digits and dashes."
      >
        {(aria) => (
          <Input
            {...aria}
            name="slug"
            defaultValue={shown.slug}
            className="font-mono"
            autoCapitalize="none"
            spellCheck={false}
            required
          />
        )}
      </Field>
      <Field
        id={`${prefix}-summary`}
        label="Summary"
        errors={state.fields?.summary}
        hint="One line for the product cards."
      >
        {(aria) => (
          <Input
            {...aria}
            name="summary"
            dir="auto"
            defaultValue={shown.summary}
          />
        )}
      </Field>
      <Field
        id={`${prefix}-description`}
        label="Description"
        errors={state.fields?.description}
        hint="Plain text for the product page; line breaks are kept."
      >
        {(aria) => (
          <Textarea
            {...aria}
            name="description"
            dir="auto"
            rows={8}
            defaultValue={shown.description}
          />
        )}
      </Field>
      <div className="grid gap-5 sm:grid-cols-3">
        <Field id={`${prefix}-kind`} label="Kind" errors={state.fields?.kind}>
          {(aria) => (
            <Select {...aria} name="kind" defaultValue={shown.kind}>
              {PRODUCT_KINDS.map((k) => (
                <option key={k} value={k}>
                  {PRODUCT_KIND_LABELS[k]}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field
          id={`${prefix}-category`}
          label="Category"
          errors={state.fields?.category}
        >
          {(aria) => (
            <>
              <Input
                {...aria}
                name="category"
                dir="auto"
                list={`${prefix}-categories`}
                defaultValue={shown.category}
              />
              <datalist id={`${prefix}-categories`}>
                {categories.map((c) => (
                  <option key={c} value={c} />
                ))}
              </datalist>
            </>
          )}
        </Field>
        <Field
          id={`${prefix}-sort`}
          label="Position"
          errors={state.fields?.sortOrder}
          hint="Lower comes first."
        >
          {(aria) => (
            <Input
              {...aria}
              name="sortOrder"
              type="number"
              min={0}
              max={9999}
              defaultValue={shown.sortOrder}
            />
          )}
        </Field>
      </div>
      <Checkbox
        id={`${prefix}-available`}
        name="isAvailable"
        label="Available to order"
        hint="Untick to keep it listed as “Currently unavailable”."
        defaultChecked={shown.isAvailable}
      />
      <SubmitButton pendingLabel="Saving…">
        {product ? "Save changes" : "Create product"}
      </SubmitButton>
    </FormFrame>
  );
}
