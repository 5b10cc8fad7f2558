import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { BackLink } from "@/components/ui/back-link";
import { Card, PageHeader } from "@/components/ui/card";
import { requireAdmin } from "@/lib/auth/session";
import { listCategories } from "@/lib/catalog/queries";
import { createProductAction } from "../actions";
import { ProductForm } from "../product-form";

export const metadata: Metadata = { title: "New product" };

export default async function NewProductPage() {
  await requireAdmin("/staff/settings/products/new");
  const categories = await listCategories(await getDb());
  return (
    <>
      <BackLink href="/staff/settings/products">Products</BackLink>
      <PageHeader
        title="New product"
        description="Prices and an image are added on the next page, once the product exists."
      />
      <Card className="max-w-3xl p-5">
        <ProductForm
          action={createProductAction}
          categories={categories.map((c) => c.name)}
        />
      </Card>
    </>
  );
}
