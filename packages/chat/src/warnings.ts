// The package's one warning sink: a process warning of type BedrockConverseWarning (what
// `process.on("warning")` and `--no-warnings` act on).

/** Every time: for warnings about one reply's data (e.g. an unsafe integer at a path). */
export function warn(message: string): void {
  process.emitWarning(message, { type: "BedrockConverseWarning" });
}

const emitted = new Set<string>();

/** Once per distinct text per process: a warning about a model or a message shape does not repeat on every call. */
export function warnOnce(message: string): void {
  if (emitted.has(message)) return;
  emitted.add(message);
  warn(message);
}
