/** Runs a CLI job: its own errors are printed as one line (no stack) with exit code 1. */
export function runCli(job: () => Promise<void>): void {
  job().catch((error: unknown) => {
    console.error(
      `Error: ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exit(1);
  });
}
