import 'server-only';
import { AppError } from '@/server/errors';
import { isXmlChar } from './parse';

/** A value that XML 1.0 cannot carry at all, in any escaping (NUL, most C0 controls, …): a 422. */
export class XmlEscapeError extends AppError {
  constructor(message: string) {
    super('invalid-input', message, { status: 422 });
    this.name = 'XmlEscapeError';
  }
}

const REPLACEMENTS: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  // A parser turns a literal tab/LF/CR in an attribute into a space, and a CR in text into
  // LF; as character references they survive. Needed for text in either quote style.
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};

/**
 * Escape a value for an XML attribute (either quote) or element text.
 * Throws XmlEscapeError for characters XML 1.0 cannot hold even escaped: control characters
 * other than tab/LF/CR, lone UTF-16 surrogates, U+FFFE and U+FFFF.
 */
export function escapeXml(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; ) {
    const code = value.codePointAt(i) ?? 0;
    const ch = String.fromCodePoint(code);
    if (!isXmlChar(code)) {
      const hex = code.toString(16).toUpperCase().padStart(4, '0');
      throw new XmlEscapeError(`character U+${hex} at position ${i} cannot be written in XML: ${JSON.stringify(value)}`);
    }
    out += REPLACEMENTS[ch] ?? ch;
    i += ch.length;
  }
  return out;
}
