/**
 * Reads a Java .properties file the way Keycloak reads its message bundles (UTF-8): `key=value` or `key: value`,
 * `#`/`!` comments, lines continued with a trailing backslash, and the escapes `\uXXXX`, `\n`, `\t`, `\r`, `\f`.
 */
export function parseProperties(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i].replace(/^[ \t\f]+/, "");
    if (line === "" || line.startsWith("#") || line.startsWith("!")) continue;
    while (endsWithOddBackslashes(line) && i + 1 < lines.length) {
      line = line.slice(0, -1) + lines[++i].replace(/^[ \t\f]+/, "");
    }
    let split = line.length;
    for (let j = 0; j < line.length; j++) {
      const c = line[j];
      if (c === "\\") {
        j++;
      } else if (c === "=" || c === ":" || c === " " || c === "\t" || c === "\f") {
        split = j;
        break;
      }
    }
    const key = unescape(line.slice(0, split));
    let rest = line.slice(split).replace(/^[ \t\f]*/, "");
    if (rest.startsWith("=") || rest.startsWith(":")) rest = rest.slice(1).replace(/^[ \t\f]*/, "");
    result[key] = unescape(rest);
  }
  return result;
}

const endsWithOddBackslashes = (line: string) => (line.match(/\\+$/)?.[0].length ?? 0) % 2 === 1;

const escapes: Record<string, string> = { n: "\n", t: "\t", r: "\r", f: "\f" };

const unescape = (value: string) =>
  value.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, e: string) =>
    e.length === 5 ? String.fromCharCode(parseInt(e.slice(1), 16)) : (escapes[e] ?? e),
  );
