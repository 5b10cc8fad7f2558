import type { Metadata } from "next";
import { SecurityPage } from "./security-page";
import { requireCustomer } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Security and sign-in" };

export default async function CustomerSecurityPage() {
  const viewer = await requireCustomer("/account/security");
  return (
    <SecurityPage viewer={viewer} page="/account/security" back="/account" />
  );
}
