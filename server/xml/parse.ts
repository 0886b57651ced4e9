import 'server-only';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { AppError } from '@/server/errors';

/** libvirt printed XML we cannot read, or left out an element we cannot do without. */
export class XmlParseError extends AppError {
  constructor(message: string, opts: { cause?: unknown } = {}) {
    super('bad-host-output', message, { status: 502, cause: opts.cause });
    this.name = 'XmlParseError';
  }
}

/** One parsed element: attributes as `@_name`, children by tag name, text (with attributes) as `#text`. */
export type XmlNode = { readonly [key: string]: unknown };

// Tags that may repeat are always arrays, so one <host> and two <host>s read the same.
// <backingStore> is not here: a chain nests, it does not repeat.
const REPEATED = new Set(['host', 'device', 'disk', 'snapshot', 'value', 'enum', 'freeExtent', 'controller']);
const REPEATED_PATHS = new Set(['storagepoolCapabilities.pool']);

// Only XML's own five entities and character references. libvirt writes UTF-8 and never a
// DOCTYPE, so internal entities (and their expansion bombs) are refused, not expanded.
const ENTITY = /&(?:(amp|lt|gt|quot|apos)|#(\d+)|#x([0-9a-fA-F]+));/g;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const decodeEntities = (s: string): string =>
  s.replace(ENTITY, (_, name: string | undefined, dec: string | undefined, hex: string | undefined) => {
    if (name) return NAMED[name] ?? '';
    const code = dec !== undefined ? Number.parseInt(dec, 10) : Number.parseInt(hex ?? '', 16);
    if (!isXmlChar(code)) throw new XmlParseError(`character reference &#${dec ?? 'x' + hex}; is not allowed in XML 1.0`);
    return String.fromCodePoint(code);
  });

/** XML 1.0 `Char`: tab, LF, CR, and everything from space up except surrogates, U+FFFE and U+FFFF. */
export function isXmlChar(code: number): boolean {
  return (
    code === 0x9 || code === 0xa || code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff)
  );
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseAttributeValue: false,
  parseTagValue: false,
  // Not trimmed: the parser would trim attributes too, and a file "/kvm-vm/disk.qcow2 " or a
  // pool " x" is legal in libvirt (it trims nothing): reading "/kvm-vm/disk.qcow2" or "x"
  // would point later commands at another object. libvirt never pads leaf text, so exact text is right;
  // whitespace-only text (indentation in containers) is treated as absent below.
  trimValues: false,
  isArray: (tag, jPath, _leaf, isAttribute) =>
    !isAttribute && (REPEATED.has(tag) || REPEATED_PATHS.has(String(jPath))),
  entityDecoder: { decode: decodeEntities, setExternalEntities() {}, addInputEntities() {}, reset() {}, setXmlVersion() {} },
});

/** Parse a whole document and return its root element, which must be `<root>`. */
export function parseXml(xml: string, root: string): XmlNode {
  if (/<!DOCTYPE/i.test(xml)) throw new XmlParseError(`<${root}> XML: a DOCTYPE is not accepted`);
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    const { msg, line, col } = valid.err;
    throw new XmlParseError(`<${root}> XML is malformed: ${msg} (line ${line}, column ${col})`);
  }
  let doc: XmlNode;
  try {
    doc = parser.parse(xml) as XmlNode;
  } catch (cause) {
    if (cause instanceof XmlParseError) throw cause;
    throw new XmlParseError(`<${root}> XML is malformed: ${String(cause)}`, { cause });
  }
  const elements = Object.keys(doc).filter((k) => !k.startsWith('?'));
  if (elements.length !== 1 || elements[0] !== root || Array.isArray(doc[root])) {
    const found = elements.flatMap((e) => asArray(doc[e]).map(() => `<${e}>`)).join(', ');
    throw new XmlParseError(`expected one <${root}> element, found ${found || 'none'}`);
  }
  return toNode(doc[root]);
}

/** The parser gives '' for `<a/>` and a bare string for `<a>text</a>`: make both nodes. */
function toNode(value: unknown): XmlNode {
  if (typeof value === 'string') return value.trim() === '' ? {} : { '#text': value };
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as XmlNode;
  return {};
}

export function asArray<T>(value: T | readonly T[] | undefined | null): T[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? [...(value as readonly T[])] : [value as T];
}

/** The first child element `name`, or undefined when there is none. */
export function child(node: XmlNode | undefined, name: string): XmlNode | undefined {
  if (!node || !(name in node)) return undefined;
  const first = asArray(node[name])[0];
  return first === undefined ? undefined : toNode(first);
}

/** Every child element `name` (repeated tags are arrays already; this also accepts one). */
export function children(node: XmlNode | undefined, name: string): XmlNode[] {
  return node ? asArray(node[name]).map(toNode) : [];
}

/** Follow a path of child elements: `at(pool, 'target', 'permissions')`. */
export function at(node: XmlNode | undefined, ...path: string[]): XmlNode | undefined {
  return path.reduce<XmlNode | undefined>((n, name) => child(n, name), node);
}

const present = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value : undefined;

/** An attribute's value, exactly; absent, empty and all-whitespace are undefined. */
export function attr(node: XmlNode | undefined, name: string): string | undefined {
  return present(node?.[`@_${name}`]);
}

/** An element's text (of `node` itself, or of its child `name`), exactly; absent, empty and all-whitespace are undefined. */
export function text(node: XmlNode | undefined, name?: string): string | undefined {
  return present((name === undefined ? node : child(node, name))?.['#text']);
}

/** True when the child element exists, even empty (`<readonly/>`). */
export const has = (node: XmlNode | undefined, name: string): boolean => node !== undefined && name in node;

export function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new XmlParseError(`${what} is missing`);
  return value;
}

// libvirt's virScaleInteger: suffixes are case-insensitive; b, byte, bytes = 1; one letter
// or "<letter>iB" = powers of 1024; "<letter>B" = powers of 1000; k m g t p e.
const POWERS: Record<string, number> = { k: 1, m: 2, g: 3, t: 4, p: 5, e: 6 };

/** A libvirt scaled integer in bytes. `defaultUnit` applies when `unit` is absent (domain memory: KiB). */
export function toBytes(value: string, unit?: string, defaultUnit = 'bytes'): number {
  if (!/^\d+$/.test(value.trim())) throw new XmlParseError(`size "${value}" is not a whole number`);
  const u = unit === undefined || unit === '' ? defaultUnit : unit;
  let scale: bigint;
  if (/^(b|bytes?)$/i.test(u)) scale = 1n;
  else {
    const power = POWERS[u.charAt(0).toLowerCase()];
    const base = u.length === 1 || /^.ib$/i.test(u) ? 1024n : /^.b$/i.test(u) ? 1000n : undefined;
    if (power === undefined || base === undefined) throw new XmlParseError(`unknown size unit "${u}"`);
    scale = base ** BigInt(power);
  }
  const bytes = BigInt(value.trim()) * scale;
  if (bytes > BigInt(Number.MAX_SAFE_INTEGER)) throw new XmlParseError(`size ${value} ${u} is too large`);
  return Number(bytes);
}

/** The size in child element `name` (`<capacity unit='bytes'>…`), or undefined when absent. */
export function size(node: XmlNode | undefined, name: string, defaultUnit = 'bytes'): number | undefined {
  const el = child(node, name);
  const value = text(el);
  return value === undefined ? undefined : toBytes(value, attr(el, 'unit'), defaultUnit);
}

/** Parse a decimal integer attribute or text; undefined stays undefined. */
export function int(value: string | undefined, what: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value.trim())) throw new XmlParseError(`${what} "${value}" is not a whole number`);
  return Number(value.trim());
}

/** Drop undefined values, so absent optional fields are omitted rather than present-but-undefined. */
export function compact<T extends Record<string, unknown>>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}
