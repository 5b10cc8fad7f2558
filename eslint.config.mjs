import path from "node:path";
import { fileURLToPath } from "node:url";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

// Lint enforces the layer map of docs/architecture.md, so a violation fails CI instead of review.
// One local rule (portico/layers) reads the tables below and checks every import, whether spelled
// "@/…" or relative: one rule for every file, so no later config block can replace an earlier one's
// restrictions. testing/lint-layers.test.ts runs it on the fixtures in testing/lint-fixtures/.

const ROOT = path.dirname(fileURLToPath(import.meta.url));

// The layers of lib/, lowest first. A lib module may import a lower layer, or its own domain on the
// same layer; never a layer above, never another domain beside it. An entry is a folder or file
// (without extension); "lib/*" is the files at the root of lib/. The most specific entry wins, so a
// vendor's client.ts sits lower than the rest of its folder.
const LAYERS = [
  {
    name: "core",
    modules: ["lib/*", "lib/audit", "lib/auth/viewer"],
  },
  {
    name: "vendor clients",
    modules: [
      "lib/stripe/client",
      "lib/stripe/from-env",
      "lib/shopify/config",
      "lib/shopify/client",
      "lib/shopify/graphql",
      "lib/shopify/queries",
      "lib/shopify/from-env",
      "lib/mailcow/client",
      "lib/mailcow/types",
      "lib/mailcow/schemas",
      "lib/mail/transport",
      "lib/sms/types",
      "lib/sms/phone",
      "lib/sms/http",
      "lib/sms/twilio",
      "lib/sms/clicksend",
    ],
  },
  {
    name: "outbox, desk settings, shelves",
    modules: ["lib/mail", "lib/sms", "lib/helpdesk", "lib/cart", "lib/catalog"],
  },
  {
    name: "people, orders, mailboxes",
    modules: ["lib/users", "lib/orders", "lib/mailcow"],
  },
  {
    name: "sign-in, tickets, payments",
    modules: ["lib/auth", "lib/tickets", "lib/stripe", "lib/shopify"],
  },
  {
    name: "mail in, customer records",
    modules: ["lib/mail-ingest", "lib/customers"],
  },
  { name: "the ticket API", modules: ["lib/osticket"] },
  { name: "scheduled jobs", modules: ["lib/jobs"] },
  { name: "first run and start-up", modules: ["lib/setup"] },
];

// Imports against the map that the code still has. Each is to be removed; none may be added.
const LAYER_EXCEPTIONS = [
  // The invitation mails a password link; issuing one belongs below users.
  { file: "lib/users/agents.ts", imports: "lib/auth/password-reset" },
  // cleanFilename is a pure text helper that belongs in the core.
  { file: "lib/catalog/products.ts", imports: "lib/tickets/attachments" },
  // Changing the mailbox password checks the account's password first.
  { file: "lib/mailcow/change-password.ts", imports: "lib/auth/authenticate" },
];

// Entry points open the database: app/, instrumentation.ts, server/, tools/, testing/ and db/'s own
// scripts. Inside lib/, only these, each shared by two entry points (a route file and Portico's
// server, or Next's hooks and the scheduler); everything else takes `db` as its first parameter.
const DB_CLIENT_IN_LIB = [
  "lib/auth/options.ts", // next-auth's sign-in callback
  "lib/auth/session.ts", // requireCustomer()/requireAgent() for every page and action
  "lib/catalog/cached.ts", // the catalogue's reads in Next's data cache
  "lib/jobs/scheduler.ts", // the in-process scheduler
  "lib/osticket/route.ts", // the API's handler, for app/api and server/direct.ts
  "lib/stripe/route.ts", // the webhook's handler, for app/api and server/direct.ts
  "lib/shopify/route.ts", // the webhook's handler, for app/api and server/direct.ts
  "lib/setup/start-up.ts", // what instrumentation.ts runs before the first request
];

// Request state by nature: the session, the visitor's cart cookie, mail delivered after the response;
// and the catalogue's reads, which live in Next's data cache.
const FRAMEWORK_IN_LIB = [
  "lib/auth/session.ts",
  "lib/cart/visitor.ts",
  "lib/catalog/cached.ts",
  "lib/mail/deliver-soon.ts",
  "lib/sms/send-soon.ts",
];
const FRAMEWORK_MODULES = [
  "next/cache",
  "next/headers",
  "next/navigation",
  "next/server",
];

// db/ sits beside the core and may import only it; the seed builds its rows with domain helpers.
const DB_DOMAIN_EXCEPTIONS = ["db/seed.ts"];

// What a component may import from lib/ as a value: it runs in the browser. Type-only imports are
// erased, so components may take types from anywhere in lib/ and from db/schema.
const CLIENT_SAFE = [
  "lib/result",
  "lib/forms",
  "lib/format",
  "lib/cn",
  "lib/auth/viewer",
  "lib/tickets/sla",
  "lib/tickets/events",
  "lib/tickets/canned",
  "lib/orders/status",
];
const CLIENT_SAFE_NAME = /^lib\/[^/]+\/(?:[\w-]+-)?(?:schemas|types)$/;

const TOOLING = ["testing", "tools", "server"];

/** "lib/mail-ingest/ingest" → its layer's index and domain; null when no entry matches. */
function placeInMap(mod) {
  let best = null;
  LAYERS.forEach((layer, level) => {
    for (const entry of layer.modules) {
      const matches = entry.endsWith("/*")
        ? path.posix.dirname(mod) === entry.slice(0, -2)
        : mod === entry || mod.startsWith(`${entry}/`);
      if (matches && (!best || entry.length > best.entry.length))
        best = { entry, level };
    }
  });
  if (!best) return null;
  const domain = best.level === 0 ? "core" : mod.split("/")[1];
  return { level: best.level, domain, name: LAYERS[best.level].name };
}

const under = (mod, folder) => mod === folder || mod.startsWith(`${folder}/`);
const withoutExtension = (p) =>
  p
    .replace(/\.(?:d\.ts|ts|tsx|mts|cts|js|jsx|mjs|cjs)$/, "")
    .replace(/\/index$/, "");

/** A specifier as a repo-relative module ("lib/env"), or null for a package. */
function resolveSpecifier(specifier, fileDir) {
  if (specifier.startsWith("@/")) return withoutExtension(specifier.slice(2));
  if (specifier === "." || specifier === ".." || /^\.\.?\//.test(specifier)) {
    const resolved = path
      .relative(ROOT, path.resolve(fileDir, specifier))
      .split(path.sep)
      .join("/");
    return resolved.startsWith("..") ? null : withoutExtension(resolved);
  }
  return null;
}

function isTypeOnly(node) {
  if (node.importKind === "type" || node.exportKind === "type") return true;
  return (
    node.type === "ImportDeclaration" &&
    node.specifiers.length > 0 &&
    node.specifiers.every((s) => s.importKind === "type")
  );
}

const layersRule = {
  meta: {
    type: "problem",
    docs: {
      description: "Imports follow the layer map of docs/architecture.md.",
    },
    schema: [],
    messages: {
      upward:
        "Upward import: {{from}} (layer {{fromLevel}}, {{fromName}}) may not use {{to}} (layer {{toLevel}}, {{toName}}). Imports go downward only (docs/architecture.md).",
      sideways:
        "Sideways import: {{from}} and {{to}} are different domains on layer {{level}} ({{name}}). Move the shared part down a layer, or let a higher layer call both.",
      unmapped:
        "{{module}} is not on the layer map: add its folder to LAYERS in eslint.config.mjs (and to docs/architecture.md).",
      app: "Nothing imports app/: move what is shared into lib/ or components/.",
      libComponents:
        "lib/ does not import components/: business rules have no UI.",
      tooling:
        "{{to}} is tooling, not the app: nothing under app/, lib/, components/ or db/ imports testing/, tools/ or server/ (tests may import testing/).",
      dbClient:
        "Only entry points open the database (@/db/client): take `db: Db` as the first parameter instead.",
      dbImports: "db/ may import only db/ and the lib core, not {{to}}.",
      framework:
        "lib/ is framework-free: {{name}} only in lib/auth/session.ts, lib/cart/visitor.ts, lib/catalog/cached.ts, lib/mail/deliver-soon.ts and lib/sms/send-soon.ts.",
      componentsServer:
        "Components never touch the database, configuration or the log ({{to}}): pass what they need as props.",
      componentsLib:
        "Components may import only client-safe lib modules (schemas, types, result, forms, format, cn, viewer and the named pure helpers), not {{to}}.",
      uiFeature: "components/ui holds primitives: it may not import {{to}}.",
    },
  },
  create(context) {
    const file = path
      .relative(ROOT, context.filename)
      .split(path.sep)
      .join("/");
    if (file.startsWith("..") || path.isAbsolute(file)) return {};
    const fileDir = path.dirname(context.filename);
    const fromModule = withoutExtension(file);
    const top = file.split("/")[0];
    const isTest = /\.test\.tsx?$/.test(file);
    const fromPlace = top === "lib" ? placeInMap(fromModule) : null;

    function check(node, source) {
      if (!source || typeof source.value !== "string") return;
      const specifier = source.value;
      const report = (messageId, data = {}) =>
        context.report({ node: source, messageId, data });
      const mod = resolveSpecifier(specifier, fileDir);

      if (mod === null) {
        if (
          top === "lib" &&
          FRAMEWORK_MODULES.includes(specifier) &&
          !FRAMEWORK_IN_LIB.includes(file)
        )
          report("framework", { name: specifier });
        return;
      }
      const target = mod.split("/")[0];
      const typeOnly = isTypeOnly(node);

      if (target === "app" && top !== "app") return report("app");
      if (
        TOOLING.includes(target) &&
        ["app", "lib", "components", "db"].includes(top)
      ) {
        if (!(isTest && target === "testing"))
          return report("tooling", { to: `${target}/` });
        return;
      }

      if (top === "lib") {
        if (target === "components") return report("libComponents");
        if (mod === "db/client" && !isTest && !DB_CLIENT_IN_LIB.includes(file))
          return report("dbClient");
        if (target !== "lib" || isTest || !fromPlace) return;
        const to = placeInMap(mod);
        if (!to) return report("unmapped", { module: mod });
        if (
          LAYER_EXCEPTIONS.some((e) => e.file === file && under(mod, e.imports))
        )
          return;
        if (to.level < fromPlace.level) return;
        if (to.level === fromPlace.level && to.domain === fromPlace.domain)
          return;
        if (to.level === fromPlace.level)
          return report("sideways", {
            from: `lib/${fromPlace.domain}`,
            to: `lib/${to.domain}`,
            level: to.level,
            name: to.name,
          });
        return report("upward", {
          from: fromModule,
          fromLevel: fromPlace.level,
          fromName: fromPlace.name,
          to: mod,
          toLevel: to.level,
          toName: to.name,
        });
      }

      if (top === "db") {
        if (target === "db" || isTest || DB_DOMAIN_EXCEPTIONS.includes(file))
          return;
        if (target === "lib" && placeInMap(mod)?.level === 0) return;
        return report("dbImports", { to: mod });
      }

      if (top === "components") {
        if (under(mod, "components/ui")) return;
        if (target === "components") {
          if (under(file, "components/ui")) report("uiFeature", { to: mod });
          return;
        }
        if (typeOnly) return;
        if (target === "db" || mod === "lib/env" || mod === "lib/log")
          return report("componentsServer", { to: mod });
        if (
          target === "lib" &&
          !CLIENT_SAFE.includes(mod) &&
          !CLIENT_SAFE_NAME.test(mod)
        )
          return report("componentsLib", { to: mod });
      }
    }

    return {
      Program(node) {
        if (top === "lib" && !fromPlace)
          context.report({
            node,
            messageId: "unmapped",
            data: { module: fromModule },
          });
      },
      ImportDeclaration: (node) => check(node, node.source),
      ExportNamedDeclaration: (node) => check(node, node.source),
      ExportAllDeclaration: (node) => check(node, node.source),
      ImportExpression: (node) =>
        check(node, node.source.type === "Literal" ? node.source : null),
      TSImportEqualsDeclaration: (node) =>
        check(
          node,
          node.moduleReference.type === "TSExternalModuleReference"
            ? node.moduleReference.expression
            : null,
        ),
      CallExpression(node) {
        if (
          node.callee.type === "Identifier" &&
          node.callee.name === "require" &&
          node.arguments[0]?.type === "Literal"
        )
          check(node, node.arguments[0]);
      },
    };
  },
};

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
    plugins: { portico: { rules: { layers: layersRule } } },
    rules: {
      "portico/layers": "error",
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

// For testing/lint-layers.test.ts, which checks that every named exception is still needed.
export const layerMap = {
  LAYERS,
  LAYER_EXCEPTIONS,
  DB_CLIENT_IN_LIB,
  FRAMEWORK_IN_LIB,
  FRAMEWORK_MODULES,
  DB_DOMAIN_EXCEPTIONS,
};
