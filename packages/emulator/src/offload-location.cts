// Where offload-worker lives, in both builds: this file is always CommonJS (.cts), so __filename is
// defined whether the package is loaded through import (dist/), require (dist/cjs/) or from sources
// (tsx), where import.meta would not compile in the CommonJS build.
import { join } from "node:path";

/** True when running from the TypeScript sources (tests, tsx), where the worker needs tsx's loader. */
export const fromSource = __filename.endsWith(".cts");

/** Absolute path of the offload worker module beside this one. */
export const workerPath = join(__dirname, fromSource ? "offload-worker.ts" : "offload-worker.js");
