#!/usr/bin/env node
/**
 * `meshscope`: the CLI entry. Resolves the configuration (exit 2 with a message naming the flag or variable
 * when it is invalid), starts the process, and on SIGTERM/SIGINT stops gracefully: listeners close, every
 * accepted request gets its answer, the queue drains, the store closes, exit 0.
 *
 * Imported as a module (tests, other tools) it only exports: the CLI runs when this file is the entry point.
 */
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { startMeshscope } from "./app.js";
import { hashTokenCommand } from "./auth/hash-token-command.js";
import { ConfigError, loadConfig } from "./config/load-config.js";
import { createLogger } from "./ops/logger.js";

export { type MeshscopePorts, type RunningMeshscope, type StartOptions, startMeshscope } from "./app.js";
export { ConfigError, loadConfig, type MeshscopeConfig } from "./config/load-config.js";

export async function main(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  if (argv[0] === "hash-token") {
    process.exitCode = await hashTokenCommand(process.stdin, (text) => process.stdout.write(text));
    return;
  }
  let loaded: ReturnType<typeof loadConfig>;
  try {
    loaded = loadConfig({ argv, env });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`meshscope: ${error.message}\n`);
    process.exitCode = 2;
    return;
  }
  if (loaded.kind === "help") {
    process.stdout.write(loaded.text);
    return;
  }
  const logger = createLogger(loaded.config.logLevel);
  let running: Awaited<ReturnType<typeof startMeshscope>>;
  try {
    running = await startMeshscope(loaded.config, { logger });
  } catch (error) {
    logger.error("exiting: start-up failed", { error });
    process.exitCode = 1;
    return;
  }
  const onSignal = (signal: NodeJS.Signals) => {
    logger.info("signal received", { signal });
    running.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error("graceful stop failed", { error });
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", onSignal);
  process.once("SIGINT", onSignal);
}

function isEntryPoint(): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  void main(process.argv.slice(2), process.env);
}
