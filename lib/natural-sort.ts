/**
 * Natural ordering of names as people read them: "vm2" before "vm10", "disk-9.qcow2" before
 * "disk-10.qcow2". Digit runs compare by value (any length, no Number overflow), other text
 * case-insensitively; exact ties fall back to plain code-point order so the sort is total and
 * stable across browsers (Intl.Collator's numeric mode differs between ICU builds).
 *
 * Written to walk both strings without allocating: a 10,000-row table sorts with ~140,000
 * comparisons.
 */
export function naturalCompare(a: string, b: string): number {
  let i = 0;
  let j = 0;
  // Tie-breakers remembered while the main comparison sees the strings as equal.
  let zeroTie = 0; // fewer leading zeros first ("1" before "01")
  let caseTie = 0; // then upper before lower, by code point
  while (i < a.length && j < b.length) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(j);
    if (isDigit(ca) && isDigit(cb)) {
      // Skip leading zeros, then the longer run of significant digits is the bigger number.
      let za = i;
      while (za < a.length && a.charCodeAt(za) === 48) za++;
      let zb = j;
      while (zb < b.length && b.charCodeAt(zb) === 48) zb++;
      let ea = za;
      while (ea < a.length && isDigit(a.charCodeAt(ea))) ea++;
      let eb = zb;
      while (eb < b.length && isDigit(b.charCodeAt(eb))) eb++;
      const la = ea - za;
      const lb = eb - zb;
      if (la !== lb) return la - lb;
      for (let k = 0; k < la; k++) {
        const d = a.charCodeAt(za + k) - b.charCodeAt(zb + k);
        if (d !== 0) return d;
      }
      if (zeroTie === 0) zeroTie = za - i - (zb - j);
      i = ea;
      j = eb;
      continue;
    }
    if (ca !== cb) {
      const la = fold(ca);
      const lb = fold(cb);
      if (la !== lb) return la - lb;
      if (caseTie === 0) caseTie = ca - cb;
    }
    i++;
    j++;
  }
  const rest = a.length - i - (b.length - j);
  if (rest !== 0) return rest;
  return zeroTie || caseTie;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** ASCII case fold; other characters compare by code point (names are mostly ASCII). */
function fold(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}
