// `npm run build`: Next's production build, then Portico's server (server/main.ts and what it
// imports) compiled to one plain JavaScript file that `npm run serve` runs with `node`, no TypeScript
// loader. `--if-changed` (`npm start`) skips both when no build input changed since the last build.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { parseArgs } from "node:util";
import { build } from "esbuild";
import {
  decideBuild,
  hasBuildOutput,
  hashBuildInputs,
  readBuildStamp,
  removeBuildStamp,
  SERVER_OUTFILE,
  writeBuildStamp,
} from "@/server/build-stamp";

const { values } = parseArgs({
  options: { "if-changed": { type: "boolean", default: false } },
});
const root = process.cwd();
// Taken before building: a file edited while the build runs makes the next start build again.
const sources = hashBuildInputs(root);

if (values["if-changed"]) {
  const decision = decideBuild(
    sources,
    readBuildStamp(root),
    hasBuildOutput(root),
  );
  if (!decision.build) {
    console.log(`Portico: no build needed, ${decision.reason}.`);
    process.exit(0);
  }
  console.log(`Portico: building, because ${decision.reason}.`);
}

// A build that fails or is interrupted must not leave the previous stamp to vouch for it.
removeBuildStamp(root);
const next = spawnSync(
  path.join(root, "node_modules", ".bin", "next"),
  ["build"],
  {
    stdio: "inherit",
  },
);
if (next.status !== 0) process.exit(next.status ?? 1);

await build({
  entryPoints: [path.join(root, "server/main.ts")],
  outfile: path.join(root, SERVER_OUTFILE),
  bundle: true,
  // Next, React and the rest stay in node_modules, loaded as `next start` would load them.
  packages: "external",
  platform: "node",
  format: "esm",
  target: "node20.19",
  tsconfig: path.join(root, "tsconfig.json"),
  banner: {
    js: "// Built by `npm run build` from server/main.ts; edit that file, not this one.",
  },
  logLevel: "warning",
});
writeBuildStamp(root, { sources, builtAt: new Date().toISOString() });
console.log(`Portico: server compiled to ${SERVER_OUTFILE}.`);
