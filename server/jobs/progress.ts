import 'server-only';

/**
 * `qemu-img convert -p` (and commit -p) write progress to stdout as `    (12.34/100%)\r`,
 * repeatedly, without newlines. Feed chunks; get the latest percentage seen (or null).
 */
export function progressParser(): (chunk: Buffer | string) => number | null {
  let tail = '';
  return (chunk) => {
    const text = tail + chunk.toString();
    let last: number | null = null;
    for (const m of text.matchAll(/\((\d+(?:\.\d+)?)\/100%\)/g)) last = Number(m[1]);
    // Keep a partial token that may complete in the next chunk.
    tail = text.slice(Math.max(0, text.lastIndexOf('(')));
    if (tail.includes(')')) tail = '';
    return last;
  };
}
