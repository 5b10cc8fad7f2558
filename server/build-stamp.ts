import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";

// What `npm start` needs to decide whether to build again: a fingerprint of every file the production
// build reads, and a stamp that server/build.ts writes beside the output after a build succeeds.
// Tests, test tooling and docs are left out, so editing them never costs a rebuild.

/** The compiled server (server/main.ts as plain JavaScript), run with `node`. */
export const SERVER_OUTFILE = ".next/portico/server.mjs";
export const STAMP_FILE = ".next/portico/build-stamp.json";
/** Next writes this last; without it there is no production build to serve. */
const NEXT_BUILD_ID = ".next/BUILD_ID";

const INPUT_DIRS = [
  "app",
  "components",
  "lib",
  "db",
  "drizzle",
  "public",
  "server",
];
const INPUT_FILES = [
  "package.json",
  "package-lock.json",
  "next.config.ts",
  "tsconfig.json",
  "postcss.config.mjs",
  "instrumentation.ts",
];
const NOT_INPUTS = [
  /\.test\.tsx?$/, // unit and integration tests
  /(^|\/)\./, // editor and OS litter (.DS_Store, swap files)
];

/** Whether a file (a path relative to the project, with "/") can change what the build produces. */
export function isBuildInput(file: string): boolean {
  const inInputs =
    INPUT_FILES.includes(file) ||
    INPUT_DIRS.some((dir) => file.startsWith(`${dir}/`));
  return inInputs && !NOT_INPUTS.some((re) => re.test(file));
}

/** Every build input under `root`, sorted, as relative paths with "/". */
export function listBuildInputs(root: string): string[] {
  const files: string[] = [];
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(root, rel), {
      withFileTypes: true,
    })) {
      const child = `${rel}/${entry.name}`;
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile() && isBuildInput(child)) files.push(child);
    }
  };
  for (const dir of INPUT_DIRS)
    if (fs.existsSync(path.join(root, dir))) walk(dir);
  for (const file of INPUT_FILES)
    if (fs.existsSync(path.join(root, file))) files.push(file);
  return files.sort();
}

/** SHA-256 over the build inputs' paths and contents: any edit, addition, removal or rename changes it. */
export function hashBuildInputs(root: string): string {
  const hash = createHash("sha256");
  for (const file of listBuildInputs(root)) {
    hash.update(`${file}\0`);
    hash.update(
      createHash("sha256")
        .update(fs.readFileSync(path.join(root, file)))
        .digest(),
    );
  }
  return hash.digest("hex");
}

const buildStamp = z.object({ sources: z.string(), builtAt: z.string() });
export type BuildStamp = z.infer<typeof buildStamp>;

/** The last successful build's stamp, or null when there is none or it cannot be read. */
export function readBuildStamp(root: string): BuildStamp | null {
  try {
    const parsed = buildStamp.safeParse(
      JSON.parse(fs.readFileSync(path.join(root, STAMP_FILE), "utf8")),
    );
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function writeBuildStamp(root: string, stamp: BuildStamp): void {
  const file = path.join(root, STAMP_FILE);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(stamp)}\n`);
}

export function removeBuildStamp(root: string): void {
  fs.rmSync(path.join(root, STAMP_FILE), { force: true });
}

/** Whether both halves of the build (Next's and the compiled server) are on disk. */
export function hasBuildOutput(root: string): boolean {
  return [NEXT_BUILD_ID, SERVER_OUTFILE].every((file) =>
    fs.existsSync(path.join(root, file)),
  );
}

export type BuildDecision = { build: boolean; reason: string };

/** `sources` is the current hashBuildInputs(); the stamp and output are as found on disk. */
export function decideBuild(
  sources: string,
  stamp: BuildStamp | null,
  hasOutput: boolean,
): BuildDecision {
  if (!hasOutput)
    return { build: true, reason: "there is no complete build yet" };
  if (!stamp)
    return {
      build: true,
      reason: "the build has no stamp saying which sources it was made from",
    };
  if (stamp.sources !== sources)
    return {
      build: true,
      reason: `the sources changed since the build of ${stamp.builtAt}`,
    };
  return {
    build: false,
    reason: `the sources are unchanged since the build of ${stamp.builtAt}`,
  };
}
