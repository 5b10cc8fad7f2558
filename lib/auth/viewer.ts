import type { UserRole } from "@/db/schema";

/** The signed-in person, as every page, action and domain function sees them. */
export type Viewer = {
  id: string;
  email: string;
  name: string;
  role: UserRole;
  /** They proved they read mail at `email`; until then mailed-in and API tickets stay hidden. */
  emailVerified: boolean;
};

export const isStaff = (viewer: Pick<Viewer, "role">): boolean =>
  viewer.role === "agent" || viewer.role === "admin";

export const isAdmin = (viewer: Pick<Viewer, "role">): boolean =>
  viewer.role === "admin";

/** The message domain functions give when a non-admin reaches an admin-only change. */
export const ADMINS_ONLY = "Only administrators can change these settings.";
