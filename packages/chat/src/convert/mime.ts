import { BedrockInputError } from "../errors.js";

export type MediaKind = "image" | "document" | "video" | "audio";

const FORMATS: Record<MediaKind, readonly string[]> = {
  image: ["png", "jpeg", "gif", "webp"],
  document: ["pdf", "csv", "doc", "docx", "xls", "xlsx", "html", "txt", "md"],
  video: ["mkv", "mov", "mp4", "webm", "flv", "mpeg", "mpg", "wmv", "three_gp"],
  audio: ["mp3", "opus", "wav", "aac", "flac", "mp4", "ogg", "mkv", "mka", "x-aac", "m4a", "mpeg", "mpga", "pcm", "webm"],
};

/** Full MIME type → [kind, Converse format]. */
const MIME_TABLE: Record<string, [MediaKind, string]> = {
  "image/png": ["image", "png"],
  "image/jpeg": ["image", "jpeg"],
  "image/jpg": ["image", "jpeg"],
  "image/gif": ["image", "gif"],
  "image/webp": ["image", "webp"],
  "application/pdf": ["document", "pdf"],
  "text/csv": ["document", "csv"],
  "application/msword": ["document", "doc"],
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ["document", "docx"],
  "application/vnd.ms-excel": ["document", "xls"],
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ["document", "xlsx"],
  "text/html": ["document", "html"],
  "text/plain": ["document", "txt"],
  "text/markdown": ["document", "md"],
  "video/x-matroska": ["video", "mkv"],
  "video/quicktime": ["video", "mov"],
  "video/mp4": ["video", "mp4"],
  "video/webm": ["video", "webm"],
  "video/x-flv": ["video", "flv"],
  "video/mpeg": ["video", "mpeg"],
  "video/x-ms-wmv": ["video", "wmv"],
  "video/3gpp": ["video", "three_gp"],
  "audio/wav": ["audio", "wav"],
  "audio/x-wav": ["audio", "wav"],
  "audio/wave": ["audio", "wav"],
  "audio/vnd.wave": ["audio", "wav"],
  "audio/mpeg": ["audio", "mp3"],
  "audio/mp3": ["audio", "mp3"],
  "audio/ogg": ["audio", "ogg"],
  "audio/opus": ["audio", "opus"],
  "audio/flac": ["audio", "flac"],
  "audio/x-flac": ["audio", "flac"],
  "audio/aac": ["audio", "aac"],
  "audio/x-aac": ["audio", "x-aac"],
  "audio/mp4": ["audio", "mp4"],
  "audio/m4a": ["audio", "m4a"],
  "audio/x-m4a": ["audio", "m4a"],
  "audio/webm": ["audio", "webm"],
  "audio/x-matroska": ["audio", "mka"],
  "audio/pcm": ["audio", "pcm"],
  "audio/l16": ["audio", "pcm"],
};

const SUPPORTED_LIST = Object.keys(MIME_TABLE).join(", ");

/**
 * MIME type → Converse `{kind, format}`. Unknown subtypes naming a known format (e.g. `video/mkv`,
 * `image/x-png`) are accepted. Errors: "Invalid MIME type format" (no "/") and "Unsupported MIME type".
 */
export function mimeToFormat(mimeType: string): { kind: MediaKind; format: string } {
  const mime = mimeType.trim().toLowerCase().split(";")[0].trim();
  const known = MIME_TABLE[mime];
  if (known) return { kind: known[0], format: known[1] };
  const slash = mime.indexOf("/");
  if (slash <= 0 || slash === mime.length - 1) {
    throw new BedrockInputError(
      "INVALID_MIME_TYPE",
      `Invalid MIME type format: "${mimeType}". Expected "type/subtype", for example "image/png" or "application/pdf".`,
    );
  }
  const top = mime.slice(0, slash);
  const sub = mime
    .slice(slash + 1)
    .replace(/^x-/, "")
    .replace(/[.+-]/g, "_");
  const kinds: MediaKind[] = top === "image" ? ["image"] : top === "video" ? ["video"] : top === "audio" ? ["audio"] : ["document"];
  for (const kind of kinds) {
    if (FORMATS[kind].includes(sub)) return { kind, format: sub };
  }
  throw new BedrockInputError(
    "UNSUPPORTED_MIME_TYPE",
    `Unsupported MIME type: "${mimeType}". Bedrock Converse accepts ${SUPPORTED_LIST}; convert the content to one of these.`,
  );
}

const startsWith = (bytes: Uint8Array, prefix: number[], at = 0) => prefix.every((b, i) => bytes[at + i] === b);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

/**
 * MED-1: the format an image's bytes really have, from their magic numbers: a Converse image format, or
 * `{unsupported}` for a format Bedrock does not take (bmp, tiff, svg, heic), or undefined when unknown.
 */
export function sniffImageFormat(bytes: Uint8Array): string | { unsupported: string } | undefined {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "png";
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return "jpeg";
  if (startsWith(bytes, ascii("GIF87a")) || startsWith(bytes, ascii("GIF89a"))) return "gif";
  if (startsWith(bytes, ascii("RIFF")) && startsWith(bytes, ascii("WEBP"), 8)) return "webp";
  if (startsWith(bytes, ascii("BM")) && bytes.length >= 26 && startsWith(bytes, [0, 0], 6)) return { unsupported: "bmp" };
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) return { unsupported: "tiff" };
  if (startsWith(bytes, ascii("ftypheic"), 4) || startsWith(bytes, ascii("ftypheix"), 4)) return { unsupported: "heic" };
  if (startsWith(bytes, ascii("<svg")) || startsWith(bytes, ascii("<?xml"))) return { unsupported: "svg" };
  return undefined;
}
