// @ts-check
/**
 * GS1 element strings as scanners send them and people type them: `(01)05012345678900(17)270331(10)L2391`, the same digits
 * with GS (ASCII 29) after each variable-length field, a leading FNC1 (GS), or a `]C1` / `]d2` / `]Q3` / `]e0` symbology
 * prefix. Pure. The server's BackOffice.Core.Lots.Gs1 follows the same rules; tests/shared/gs1-vectors.json holds the cases
 * both must pass.
 */

export const GS = '\u001d';

/**
 * `plain`: not a GS1 string (a barcode or a sku, looked up as typed and as GTIN-14 when it is one). `gs1`: read.
 * `error`: a GS1 string that cannot be read; `error` is a stable key, `message` is for the person scanning.
 * @typedef {{ kind: 'plain' | 'gs1' | 'error', code: string | null, gtin14: string | null, expiry: string | null,
 *   lot: string | null, serial: string | null, other: Record<string, string>, error: string | null, message: string | null }} Gs1Scan
 */

/** @typedef {'an' | 'n' | 'date'} Format */
/** @typedef {{ name: string, min: number, max: number, format: Format, predefined?: boolean, checkDigit?: boolean }} Ai */

const GS1_PREFIXES = [']C1', ']d2', ']Q3', ']e0', ']J1'];

/** @type {Map<string, Ai>} Predefined-length fields need no GS after them; every other field ends at GS or the end. */
const AIS = new Map(/** @type {[string, Ai][]} */ ([
  ['00', { name: 'SSCC', min: 18, max: 18, format: 'n', predefined: true, checkDigit: true }],
  ['01', { name: 'GTIN', min: 14, max: 14, format: 'n', predefined: true, checkDigit: true }],
  ['02', { name: 'GTIN of contained items', min: 14, max: 14, format: 'n', predefined: true, checkDigit: true }],
  ['10', { name: 'lot', min: 1, max: 20, format: 'an' }],
  ['11', { name: 'production date', min: 6, max: 6, format: 'date', predefined: true }],
  ['12', { name: 'due date', min: 6, max: 6, format: 'date', predefined: true }],
  ['13', { name: 'packaging date', min: 6, max: 6, format: 'date', predefined: true }],
  ['15', { name: 'best before date', min: 6, max: 6, format: 'date', predefined: true }],
  ['16', { name: 'sell by date', min: 6, max: 6, format: 'date', predefined: true }],
  ['17', { name: 'expiry date', min: 6, max: 6, format: 'date', predefined: true }],
  ['20', { name: 'variant', min: 2, max: 2, format: 'n', predefined: true }],
  ['21', { name: 'serial number', min: 1, max: 20, format: 'an' }],
  ['22', { name: 'consumer product variant', min: 1, max: 20, format: 'an' }],
  ['240', { name: 'additional product id', min: 1, max: 30, format: 'an' }],
  ['241', { name: 'customer part number', min: 1, max: 30, format: 'an' }],
  ['30', { name: 'variable count', min: 1, max: 8, format: 'n' }],
  ['37', { name: 'count of trade items', min: 1, max: 8, format: 'n' }],
  ['400', { name: 'order number', min: 1, max: 30, format: 'an' }],
  ['422', { name: 'country of origin', min: 3, max: 3, format: 'n' }],
  ['90', { name: 'internal information', min: 1, max: 30, format: 'an' }],
]));
// Measures (31nn–36nn: the 4th digit is the decimal point's position) and GLNs (410–417) have predefined lengths.
for (let group = 31; group <= 36; group++) {
  for (let n = 0; n <= 99; n++) AIS.set(`${group}${String(n).padStart(2, '0')}`, { name: 'measure', min: 6, max: 6, format: 'n', predefined: true });
}
for (let n = 0; n <= 7; n++) AIS.set(`41${n}`, { name: 'location number (GLN)', min: 13, max: 13, format: 'n', predefined: true, checkDigit: true });
// National healthcare reimbursement numbers (PZN, CIP, …), which pharmacy packs carry.
for (let n = 710; n <= 715; n++) AIS.set(String(n), { name: 'national healthcare number', min: 1, max: 20, format: 'an' });
for (let n = 91; n <= 99; n++) AIS.set(String(n), { name: 'company internal information', min: 1, max: 90, format: 'an' });

/**
 * True for a string of 2+ digits whose last digit is the GS1 mod-10 check digit of the others.
 * @param {string | null | undefined} digits
 */
export function checkDigitValid(digits) {
  if (typeof digits !== 'string' || digits.length < 2 || !/^\d+$/.test(digits)) return false;
  let sum = 0;
  // Weights 3,1,3,… from the digit left of the check digit, whatever the length.
  for (let i = digits.length - 2, w = 3; i >= 0; i--, w = 4 - w) sum += Number(digits[i]) * w;
  return (10 - (sum % 10)) % 10 === Number(digits[digits.length - 1]);
}

/**
 * EAN-8, UPC-A, EAN-13 or GTIN-14 left-padded to 14 digits, so the same product matches whichever form a label uses;
 * null when not a valid GTIN (length, non-digits, check digit).
 * @param {string | null | undefined} barcode
 * @returns {string | null}
 */
export function toGtin14(barcode) {
  const b = String(barcode ?? '').trim();
  if (![8, 12, 13, 14].includes(b.length) || !checkDigitValid(b)) return null;
  return b.padStart(14, '0');
}

/** @param {Date} d */
function isoDate(d) {
  return `${String(d.getFullYear()).padStart(4, '0')}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/**
 * Reads a scan. `today` (yyyy-mm-dd, default the local date) chooses the century of two-digit years: the date is placed
 * within −49…+50 years of it, as GS1 says. Never throws: bad GS1 input comes back as `kind: 'error'`.
 * @param {string | null | undefined} scan
 * @param {string} [today]
 * @returns {Gs1Scan}
 */
export function parse(scan, today = isoDate(new Date())) {
  let s = trim(String(scan ?? ''));
  if (!s) return fail('empty', 'The scan is empty.');
  let forced = false;
  if (s.length >= 3 && s[0] === ']') {
    if (GS1_PREFIXES.includes(s.slice(0, 3))) {
      forced = true;
      s = s.slice(3);
    } else if (/^\][A-Za-z][0-9]/.test(s)) {
      // Another symbology's prefix (]E0 for an EAN-13, ]d1 for a non-GS1 DataMatrix…): the rest is a plain code.
      s = trim(s.slice(3));
      return s ? plain(s) : fail('empty', 'The scan is empty.');
    }
  }
  if (s[0] === GS) {
    forced = true;
    s = s.replace(/^\u001d+/, '');
  }
  s = trim(s);
  const year = Number(today.slice(0, 4));
  if (s.startsWith('(')) return read(bracketed(s), year);
  if (forced || s.includes(GS) || looksLikeElementString(s)) return read(separated(s), year);
  return plain(s);
}

/** Trims what .NET's string.Trim() trims that matters here (not GS, which is no white space in either). @param {string} s */
function trim(s) {
  return s.replace(/^[\s\u0085]+|[\s\u0085]+$/g, '');
}

/** Digits from a scanner that sent neither prefix nor GS: a GTIN in (01) followed by more fields. @param {string} s */
function looksLikeElementString(s) {
  return s.length > 16 && s.startsWith('01') && checkDigitValid(s.slice(2, 16));
}

/** @param {string} code @returns {Gs1Scan} */
function plain(code) {
  return { kind: 'plain', code, gtin14: toGtin14(code), expiry: null, lot: null, serial: null, other: {}, error: null, message: null };
}

/** @param {string} error @param {string} message @returns {Gs1Scan} */
function fail(error, message) {
  return { kind: 'error', code: null, gtin14: null, expiry: null, lot: null, serial: null, other: {}, error, message };
}

/** @typedef {{ fields: { ai: string, value: string }[], failure: Gs1Scan | null }} Split */

/** @param {string} s @returns {Split} */
function separated(s) {
  /** @type {{ ai: string, value: string }[]} */
  const fields = [];
  let pos = 0;
  while (pos < s.length) {
    if (s[pos] === GS) {
      pos++;
      continue;
    }
    const ai = findAi(s, pos);
    if (!ai) return { fields, failure: unknownAi(s.slice(pos, pos + 4)) };
    const spec = /** @type {Ai} */ (AIS.get(ai));
    pos += ai.length;
    const end = s.indexOf(GS, pos);
    const stop = end < 0 ? s.length : end;
    let value;
    if (spec.predefined) {
      if (stop - pos < spec.max) return { fields, failure: truncated(ai, spec) };
      value = s.slice(pos, pos + spec.max);
    } else {
      value = s.slice(pos, stop);
    }
    pos += value.length;
    fields.push({ ai, value });
  }
  return { fields, failure: null };
}

/** @param {string} s @param {number} pos */
function findAi(s, pos) {
  for (let n = 2; n <= 4 && pos + n <= s.length; n++) {
    const candidate = s.slice(pos, pos + n);
    if (!/^\d+$/.test(candidate)) return null;
    if (AIS.has(candidate)) return candidate;
  }
  return null;
}

/** @param {string} s @returns {Split} */
function bracketed(s) {
  /** @type {{ ai: string, value: string }[]} */
  const fields = [];
  let pos = 0;
  while (pos < s.length) {
    if (/\s/.test(s[pos]) || s[pos] === GS) {
      pos++;
      continue;
    }
    const close = s[pos] === '(' ? s.indexOf(')', pos) : -1;
    if (close < 0) return { fields, failure: fail('malformed', 'This is not a readable GS1 code: each field starts with its number in brackets, like (01).') };
    const ai = trim(s.slice(pos + 1, close));
    if (!/^\d{2,4}$/.test(ai)) return { fields, failure: fail('malformed', `This is not a readable GS1 code: "(${ai})" is not a field number.`) };
    const spec = AIS.get(ai);
    if (!spec) return { fields, failure: unknownAi(ai) };
    const next = nextBracket(s, close + 1);
    // Spaces around the brackets are how people type it; no GS1 field may contain a space, so dropping them loses nothing.
    const value = trim(trim(s.slice(close + 1, next)).replace(/^\u001d+|\u001d+$/g, ''));
    if ((value.length < spec.min && value.length > 0) || (spec.predefined && value.length < spec.max)) return { fields, failure: truncated(ai, spec) };
    fields.push({ ai, value });
    pos = next;
  }
  return { fields, failure: null };
}

/** Where the next "(nn)" starts, or the end: a lone "(" may be part of a value. @param {string} s @param {number} from */
function nextBracket(s, from) {
  for (let i = s.indexOf('(', from); i >= 0; i = s.indexOf('(', i + 1)) {
    const close = s.indexOf(')', i);
    if (close < 0) break;
    if (/^\d{2,4}$/.test(trim(s.slice(i + 1, close)))) return i;
  }
  return s.length;
}

/** @param {Split} split @param {number} todayYear @returns {Gs1Scan} */
function read(split, todayYear) {
  if (split.failure) return split.failure;
  if (split.fields.length === 0) return fail('empty', 'The scan is empty.');
  /** @type {Map<string, string>} */
  const values = new Map();
  /** @type {string | null} */
  let expiry = null;
  for (const { ai, value } of split.fields) {
    const spec = /** @type {Ai} */ (AIS.get(ai));
    const label = `${capitalised(spec.name)} (${ai})`;
    if (!value) return fail('bad-value', `${label} is empty.`);
    if (value.length > spec.max) return fail('too-long', `${label} is longer than ${spec.max} characters: ${shown(value)}.`);
    if ((spec.format !== 'an' && !/^\d+$/.test(value)) || (spec.format === 'an' && !/^[A-Za-z0-9!"%&'()*+,\-./:;<=>?_]+$/.test(value))) {
      return fail('bad-value', `${label} has characters it cannot contain: ${shown(value)}.`);
    }
    if (spec.checkDigit && !checkDigitValid(value)) return fail('check-digit', `${label} ${value} has a wrong check digit: scan it again, or type the code.`);
    if (spec.format === 'date') {
      const date = gs1Date(value, todayYear);
      if (!date) return fail('bad-date', `${label} ${value} is not a real date (YYMMDD).`);
      if (ai === '17') expiry = date;
    }
    const earlier = values.get(ai);
    if (earlier !== undefined && earlier !== value) return fail('duplicate-ai', `${label} appears twice with different values: ${earlier} and ${value}.`);
    values.set(ai, value);
  }
  /** @type {Record<string, string>} */
  const other = {};
  for (const [ai, value] of values) if (!['01', '17', '10', '21'].includes(ai)) other[ai] = value;
  return {
    kind: 'gs1', code: null, gtin14: values.get('01') ?? null, expiry, lot: values.get('10') ?? null, serial: values.get('21') ?? null,
    other, error: null, message: null,
  };
}

/**
 * YYMMDD → yyyy-mm-dd, the century chosen so the year is within −49…+50 years of today (GS1 General Specifications, 7.12);
 * day 00 is the last day of the month; null for an impossible date.
 * @param {string} yymmdd @param {number} todayYear
 */
function gs1Date(yymmdd, todayYear) {
  const yy = Number(yymmdd.slice(0, 2));
  const month = Number(yymmdd.slice(2, 4));
  const day = Number(yymmdd.slice(4, 6));
  const difference = yy - (todayYear % 100);
  const year = Math.floor(todayYear / 100) * 100 + (difference >= 51 ? -100 : difference <= -50 ? 100 : 0) + yy;
  if (month < 1 || month > 12) return null;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > last) return null;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day === 0 ? last : day).padStart(2, '0')}`;
}

/** @param {string} ai */
function unknownAi(ai) {
  return fail('unknown-ai', `The code has a field this shop does not read (${shown(ai)}…): scan the pack's other barcode, or type the product.`);
}

/** @param {string} ai @param {Ai} spec */
function truncated(ai, spec) {
  return fail('truncated', `${capitalised(spec.name)} (${ai}) is cut short: it needs ${spec.max} digits. Scan it again.`);
}

/** @param {string} value */
function shown(value) {
  return value.split(GS).join('<GS>');
}

/** @param {string} s */
function capitalised(s) {
  return s[0].toUpperCase() + s.slice(1);
}
