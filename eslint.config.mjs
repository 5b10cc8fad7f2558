import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

// Lint enforces the layering rules of docs/architecture.md, so a violation fails CI instead of review.
const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [
      ".next/**",
      "node_modules/**",
      "drizzle/**",
      ".data/**",
      "test-results/**",
      "playwright-report/**",
      "next-env.d.ts",
    ],
  },
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      // A leading underscore marks a parameter that is there for its position or a cache key.
      "@typescript-eslint/no-unused-vars": [
        "warn",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
      "@typescript-eslint/consistent-type-imports": [
        "error",
        { fixStyle: "inline-type-imports" },
      ],
      "no-restricted-syntax": [
        "error",
        {
          selector:
            "MemberExpression[object.name='process'][property.name='env']",
          message: "Read configuration through env() from @/lib/env.",
        },
      ],
    },
  },
  {
    // Nothing imports app/.
    files: ["lib/**", "components/**", "db/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@/app/*", "**/app/*"],
              message: "Nothing imports app/.",
            },
          ],
        },
      ],
    },
  },
  {
    // Components take data and actions as props: no database, no server-only domain modules.
    files: ["components/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["@/app/*"], message: "Nothing imports app/." },
            {
              group: ["@/db/*", "!@/db/schema"],
              message: "Components never touch the database.",
            },
            {
              group: [
                "@/lib/*/*",
                "!@/lib/*/schemas",
                "!@/lib/*/types",
                "!@/lib/*/viewer",
                "!@/lib/auth/viewer",
                // Pure, client-safe helpers.
                "!@/lib/tickets/sla",
                "!@/lib/tickets/events",
                "!@/lib/tickets/canned",
                "!@/lib/orders/status",
              ],
              message:
                "Components may import only client-safe lib modules (schemas, types, result, forms, format, cn).",
            },
          ],
        },
      ],
    },
  },
  {
    // lib/ is framework-free so the same code runs from a route, the cron job or a test.
    files: ["lib/**"],
    // The session and the visitor's cart cookie are request state by nature.
    ignores: [
      "lib/auth/session.ts",
      "lib/cart/visitor.ts",
      "lib/mail/deliver-soon.ts",
    ],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [
            {
              name: "next/headers",
              message:
                "lib/ is framework-free (lib/auth/session.ts and lib/cart/visitor.ts are the exceptions).",
            },
            {
              name: "next/navigation",
              message:
                "lib/ is framework-free (lib/auth/session.ts is the exception).",
            },
          ],
          patterns: [{ group: ["@/app/*"], message: "Nothing imports app/." }],
        },
      ],
    },
  },
  {
    // The places allowed to read process.env: the env module, Next's own hook, the server launcher
    // (it runs before Next and the env module are loaded), and test tooling.
    files: [
      "lib/env.ts",
      "instrumentation.ts",
      "server/main.ts",
      "testing/**",
      "e2e/**",
      "**/*.test.ts",
      "vitest.config.ts",
    ],
    rules: { "no-restricted-syntax": "off" },
  },
];

export default config;
