// Server-sent events, incrementally: text in, the `data` of each complete event out.
export class SseParser {
  private buffer = "";

  push(text: string): string[] {
    this.buffer += text;
    const out: string[] = [];
    for (;;) {
      const match = /\r?\n\r?\n/.exec(this.buffer);
      if (!match) break;
      const block = this.buffer.slice(0, match.index);
      this.buffer = this.buffer.slice(match.index + match[0].length);
      const data = dataOf(block);
      if (data !== undefined) out.push(data);
    }
    return out;
  }

  /** The last event when the stream ended without its blank line. */
  flush(): string[] {
    const data = dataOf(this.buffer);
    this.buffer = "";
    return data === undefined ? [] : [data];
  }
}

function dataOf(block: string): string | undefined {
  const lines: string[] = [];
  for (const line of block.split(/\r?\n/)) {
    if (line.startsWith("data:")) lines.push(line.slice(line.startsWith("data: ") ? 6 : 5));
  }
  return lines.length ? lines.join("\n") : undefined;
}
