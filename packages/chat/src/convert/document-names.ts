/**
 * Bedrock's rule for `document.name`: alphanumerics, single whitespace characters, hyphens, parentheses and
 * square brackets, 1-200 characters, unique within the request. Anything else fails the whole request
 * ("The document file name can only contain …" / "Messages can't contain duplicate document names.").
 * Underscores are not documented but the service accepts them, and users' names often have them: kept.
 */
const MAX_DOCUMENT_NAME_LENGTH = 200;

const ALLOWED = /^[A-Za-z0-9 _\-()[\]]+$/;
/** A file extension: a dot and 1-8 alphanumerics at the end ("report.pdf", "data.tar.gz" keeps "data.tar"). */
const EXTENSION = /\.[A-Za-z0-9]{1,8}$/;

/** Why a name the user wrote natively is refused, or undefined when Bedrock accepts it. */
export function documentNameProblem(name: unknown): string | undefined {
  if (typeof name !== "string" || name === "") return "it is missing or empty";
  if (name.length > MAX_DOCUMENT_NAME_LENGTH) return `it is ${name.length} characters long (at most ${MAX_DOCUMENT_NAME_LENGTH})`;
  if (!ALLOWED.test(name)) {
    const bad = [...new Set([...name].filter((c) => !ALLOWED.test(c)))].map((c) => JSON.stringify(c)).join(", ");
    return `it contains ${bad}`;
  }
  if (/\s\s/.test(name)) return "it contains consecutive whitespace";
  if (name.trim() !== name) return "it starts or ends with whitespace";
  return undefined;
}

/**
 * A file name → a name Bedrock accepts, or "" when nothing of it is left (an all-CJK name, "???.pdf"):
 * extension stripped, accented letters reduced to their base letter, other characters outside the rule
 * dropped, whitespace collapsed to one space, trimmed, capped at 200 characters.
 */
export function sanitizeDocumentName(fileName: string): string {
  const stem = fileName.trim().replace(EXTENSION, "");
  const base = stem.normalize("NFKD").replace(/\p{M}/gu, "");
  let name = "";
  for (const c of base) {
    if (/\s/.test(c)) name += " ";
    else if (ALLOWED.test(c)) name += c;
  }
  name = name.replace(/ {2,}/g, " ").trim();
  return name.slice(0, MAX_DOCUMENT_NAME_LENGTH).trim();
}

/**
 * Names unique within one request (compared case-insensitively, the safer reading of the service rule):
 * a repeat becomes "report (2)", "report (3)", … within the 200-character cap.
 */
export class DocumentNamer {
  private readonly taken = new Set<string>();

  has(name: string): boolean {
    return this.taken.has(name.toLowerCase());
  }

  reserve(name: string): void {
    this.taken.add(name.toLowerCase());
  }

  /** A unique name from `wanted` (already valid), reserving it. */
  unique(wanted: string): string {
    let name = wanted;
    for (let n = 2; this.has(name); n++) {
      const suffix = ` (${n})`;
      name = wanted.slice(0, MAX_DOCUMENT_NAME_LENGTH - suffix.length).trimEnd() + suffix;
    }
    this.reserve(name);
    return name;
  }
}
