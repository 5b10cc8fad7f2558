import type { UserRole } from "@/db/schema";

/** The signed-in person, as every page, action and domain function sees them. */
export type Viewer = {
  id: string;
  email: string;
  name: string;
  role: UserRole;
};

export const isStaff = (viewer: Pick<Viewer, "role">): boolean =>
  viewer.role === "agent" || viewer.role === "admin";
