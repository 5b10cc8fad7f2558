import path from "node:path";
import { defineConfig } from "vitest/config";

const root = path.dirname(new URL(import.meta.url).pathname);
const alias = {
  "@": root,
  // Outside Next's server bundle the marker package throws; tests are server code by definition.
  "server-only": path.join(root, "testing/server-only-stub.ts"),
};

export default defineConfig({
  resolve: { alias },
  test: {
    // Each integration file opens its own database; two at a time suits a 2-core machine.
    maxWorkers: 2,
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: [
            "{lib,db,app,components,server,testing,tools}/**/*.test.ts",
          ],
          exclude: ["**/*.int.test.ts", "node_modules/**"],
          environment: "node",
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["{lib,db,app,server,testing,tools}/**/*.int.test.ts"],
          environment: "node",
          testTimeout: 30_000,
          hookTimeout: 60_000,
          // Outbox sealing derives its key from the session secret: without one set, the app would
          // write .data/auth-secret into the working copy.
          env: {
            LOG_LEVEL: "silent",
            NEXTAUTH_SECRET: "portico-integration-tests-only-0123456789abcdef",
          },
        },
      },
    ],
  },
});
