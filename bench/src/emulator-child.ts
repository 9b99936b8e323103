// Runs bedrock-runtime-emulator in its own process for the throughput case, so the load generator
// and the server each get a core. Prints the URL, then stays up until stdin closes or SIGTERM.
import { startEmulator } from "bedrock-runtime-emulator";

const eventDelay = Number(process.argv[2] ?? "0");
const emulator = await startEmulator({ port: 0, host: "127.0.0.1", streamEventDelayMs: eventDelay });
process.stdout.write(`${emulator.url}\n`);
const stop = () => void emulator.close().finally(() => process.exit(0));
process.stdin.on("end", stop);
process.stdin.on("close", stop);
process.stdin.resume();
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
