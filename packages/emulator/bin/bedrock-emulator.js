#!/usr/bin/env node
// A committed launcher, so npm can link the `bedrock-emulator` command at install time, before
// `dist/` is built; the CLI itself is the compiled src/cli.ts.
import "../dist/cli.js";
