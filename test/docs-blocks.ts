// Pure helpers of the docs test: find the code blocks of a README, turn a README's ts/js blocks into
// one runnable module (a reader runs them in order, so later blocks see earlier names), and find the
// outputs a README states in `expr; // value` comments.

export interface CodeBlock {
  lang: string;
  code: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** The reason given by `<!-- docs-test: skip REASON -->` on the line(s) just before the fence. */
  skip?: string;
}

/** The opt-out marker: an HTML comment (invisible on GitHub and npm) right before the block's fence. */
export const SKIP_MARKER = /<!--\s*docs-test:\s*skip\b\s*[:\-—]?\s*(.*?)\s*-->/;

export function codeBlocks(markdown: string): CodeBlock[] {
  const lines = markdown.split("\n");
  const out: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([\w+-]*)/.exec(lines[i]);
    if (!open) continue;
    const fence = open[2];
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !lines[j].trimStart().startsWith(fence)) body.push(lines[j++]);
    let k = i - 1;
    while (k >= 0 && lines[k].trim() === "") k--;
    const marker = k >= 0 ? SKIP_MARKER.exec(lines[k]) : null;
    out.push({
      lang: open[3].toLowerCase(),
      code: body.join("\n"),
      line: i + 1,
      ...(marker ? { skip: marker[1] || "(no reason given)" } : {}),
    });
    i = j;
  }
  return out;
}

export const RUNNABLE_TS = new Set(["ts", "typescript", "js", "javascript", "mjs"]);
export const RUNNABLE_SH = new Set(["sh", "bash", "shell", "console"]);

/** A stated output: the expression before `; //` and the literal after it. */
export interface StatedOutput {
  expr: string;
  stated: string;
  line: number;
}

const DECLARATION = /^(const|let|var|import|export|for|if|while|await\s+using|try|return|throw|function|class)\b/;

/**
 * The module for a README's ts/js blocks: imports hoisted and merged, top-level `const`/`let` made
 * `var` (two blocks may both declare `llm`), and each `expr; // literal` line wrapped in a check.
 */
export function moduleFor(blocks: CodeBlock[], file: string): { source: string; stated: StatedOutput[] } {
  const imports = new Map<string, Map<string, string>>(); // source -> local -> specifier text
  const namespaces: string[] = [];
  const body: string[] = [];
  const stated: StatedOutput[] = [];
  for (const block of blocks) {
    const text = block.code.replace(/^import\s+[^;]*?\s+from\s+["'][^"']+["'];?/gms, (stmt) => {
      const m = /^import\s+(type\s+)?([\s\S]*?)\s+from\s+["']([^"']+)["']/.exec(stmt)!;
      const [, typeOnly, what, from] = m;
      if (typeOnly) return "";
      const named = /\{([\s\S]*)\}/.exec(what);
      const map = imports.get(from) ?? new Map<string, string>();
      imports.set(from, map);
      if (named) {
        for (const raw of named[1].split(",")) {
          const item = raw.trim();
          if (!item || item.startsWith("type ")) continue;
          const local = item
            .split(/\s+as\s+/)
            .pop()!
            .trim();
          map.set(local, item);
        }
      }
      const head = what
        .replace(/\{[\s\S]*\}/, "")
        .replace(/,\s*$/, "")
        .trim();
      if (head.startsWith("*")) namespaces.push(`import ${head} from ${JSON.stringify(from)};`);
      else if (head) map.set(head, `default as ${head}`);
      return "\n".repeat(stmt.split("\n").length - 1);
    });
    body.push(`// ---- ${file}:${block.line}`);
    const lines = text.split("\n");
    for (let i = 0; i < lines.length; i++) {
      let line = lines[i];
      const lineNo = block.line + 1 + i;
      line = line.replace(/^(const|let)\s/, "var ");
      const check = /^([^\s/].*?);\s*\/\/\s*(.+)$/.exec(line);
      if (check && !DECLARATION.test(check[1]) && !/^[}\])]/.test(check[1]) && !check[1].includes("=")) {
        stated.push({ expr: check[1], stated: check[2], line: lineNo });
        line = `__docs.check(${check[1]}, ${JSON.stringify(check[2])}, ${lineNo});`;
      }
      body.push(line);
    }
  }
  const head: string[] = [];
  for (const [from, names] of imports) {
    if (names.size > 0) head.push(`import { ${[...names.values()].join(", ")} } from ${JSON.stringify(from)};`);
  }
  return { source: [...head, ...namespaces, ...body].join("\n"), stated };
}

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/**
 * What a stated literal claims, in a form checkable against the real value: `key: scalar` pairs
 * (a string with `...` in it is a prefix/suffix pattern), bare keys, and bare strings.
 */
export function claims(stated: string): { pairs: [string, string | number | boolean | null][]; keys: string[]; strings: string[] } {
  const pairs: [string, string | number | boolean | null][] = [];
  const keys: string[] = [];
  const strings: string[] = [];
  // Only the literal part: stop at prose after it ("...}: typed and validated").
  const literal = /^[[{"]/.test(stated.trim()) ? stated.trim() : "";
  if (!literal) return { pairs, keys, strings };
  const tokens = literal.matchAll(/([A-Za-z_$][\w$]*)\s*:\s*("(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?\b|true|false|null)?|("(?:[^"\\]|\\.)*")/g);
  for (const t of tokens) {
    if (t[3]) {
      strings.push(JSON.parse(t[3]) as string);
      continue;
    }
    keys.push(t[1]);
    if (t[2] !== undefined) pairs.push([t[1], JSON.parse(t[2]) as string | number | boolean | null]);
  }
  // A string that is a pair's value is not also a bare string.
  const values = new Set(pairs.map(([, v]) => v));
  return { pairs, keys, strings: strings.filter((s) => !values.has(s)) };
}

/** Does `pattern` (a stated string, `...` standing for any text) describe `actual`? */
export function textMatches(pattern: string, actual: string): boolean {
  if (!pattern.includes("...")) return pattern === actual;
  const re = new RegExp(
    `^${pattern
      .split("...")
      .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
      .join("[\\s\\S]*")}$`,
  );
  return re.test(actual);
}
