import { defineConfig } from "drizzle-kit";

// Generating migrations needs no database; see README for applying them.
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema.ts",
  out: "./drizzle",
  strict: true,
});
