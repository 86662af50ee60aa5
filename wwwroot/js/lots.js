// @ts-check
/**
 * Lots at the till: what a scanned GS1 pack says (its product, lot and expiry), whether it may be sold, and the lot warnings
 * of the cart's lines. Pure.
 *
 * A pack is stopped at the till, before it reaches the cart, when its lot is one of the product's `recalledLots` in the
 * catalog (so a recall stops it offline too, from the last catalog fetched) or when its GS1 expiry (AI 17) is before the
 * outlet's today. A sale of such a pack that still happens (a stale catalog) is recorded by the server, which tells managers.
 */
import { daysUntil, lineKey, lineWarnings, localDateString } from './cart.js';
import { findByCode } from './catalog.js';
import { parse } from './gs1.js';

/** @typedef {import('./cart.js').Product} Product */
/** @typedef {import('./cart.js').Cart} Cart */
/** @typedef {import('./cart.js').CartLine} CartLine */
/** @typedef {import('./cart.js').PackLot} PackLot */
/** @typedef {import('./cart.js').LineWarning} LineWarning */
/**
 * What a scanned or typed code is at the till: `pack` a product to sell (`lot` when the scan carried one), `blocked` a pack that
 * must not be sold (`message` says what to do with it), `unreadable` a GS1 code that cannot be read, `none` no product.
 * @typedef {{ type: 'pack', product: Product, lot: PackLot | null }
 *   | { type: 'blocked', product: Product, reason: 'recalled' | 'expired', lotNumber: string | null, expiryDate: string | null, message: string }
 *   | { type: 'unreadable', message: string }
 *   | { type: 'none' }} PackScan
 */

/**
 * The outlet's date now, 'YYYY-MM-DD': in `timeZone` (IANA) when the till knows it, else the device's (a till is set to its
 * shop's time).
 * @param {string | null | undefined} timeZone
 * @param {Date} [now]
 */
export function outletToday(timeZone, now = new Date()) {
  if (timeZone) {
    try {
      const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(now);
      const part = (/** @type {string} */ type) => parts.find((p) => p.type === type)?.value ?? '';
      return `${part('year')}-${part('month')}-${part('day')}`;
    } catch {
      // An unknown zone name: the device's date.
    }
  }
  return localDateString(now);
}

/**
 * Whether `lotNumber` is one of the product's recalled lots. Compared without case or surrounding spaces: a lot keyed in by
 * hand at receiving may differ from the label so, and letting a recalled pack through is the worse mistake.
 * @param {Pick<Product, 'recalledLots'> | null | undefined} product
 * @param {string | null | undefined} lotNumber
 */
export function isRecalledLot(product, lotNumber) {
  const lot = String(lotNumber ?? '').trim().toUpperCase();
  if (!lot) return false;
  return (product?.recalledLots ?? []).some((l) => String(l).trim().toUpperCase() === lot);
}

/** @param {string} lotNumber */
export function recalledMessage(lotNumber) {
  return `Recalled lot ${lotNumber} — do not sell, put the pack aside for disposal`;
}

/** @param {string | null} lotNumber @param {string} expiryDate */
export function expiredMessage(lotNumber, expiryDate) {
  return `Expired pack (${lotNumber ? `lot ${lotNumber}, ` : ''}expiry ${expiryDate}) — do not sell, put the pack aside for disposal`;
}

/**
 * What a product row says of the product's recalled lots, so the cashier knows before scanning; null when none.
 * @param {Pick<Product, 'recalledLots'>} product
 */
export function recalledLotsText(product) {
  const lots = product.recalledLots ?? [];
  if (!lots.length) return null;
  return `Recalled: lot${lots.length === 1 ? '' : 's'} ${lots.join(', ')}`;
}

/**
 * Reads a scanned or typed code: the product by any of its barcodes (as GTIN-14) or its sku, with the GS1 lot and expiry,
 * and whether that pack may be sold today.
 * @param {import('./catalog.js').CatalogIndex} index
 * @param {string} code
 * @param {string} [today] the outlet's date, 'YYYY-MM-DD'
 * @returns {PackScan}
 */
export function readPack(index, code, today = localDateString(new Date())) {
  const scan = parse(code, today);
  const product = findByCode(index, code);
  if (!product) return scan.kind === 'error' && scan.message ? { type: 'unreadable', message: scan.message } : { type: 'none' };
  if (scan.kind !== 'gs1') return { type: 'pack', product, lot: null };
  const lotNumber = scan.lot;
  const expiryDate = scan.expiry;
  if (lotNumber && isRecalledLot(product, lotNumber)) {
    return { type: 'blocked', product, reason: 'recalled', lotNumber, expiryDate, message: recalledMessage(lotNumber) };
  }
  // Expired once its date is before today, as the server counts a batch expired.
  if (expiryDate && daysUntil(expiryDate, today) < 0) {
    return { type: 'blocked', product, reason: 'expired', lotNumber, expiryDate, message: expiredMessage(lotNumber, expiryDate) };
  }
  return { type: 'pack', product, lot: lotNumber ? { lotNumber, expiryDate } : null };
}

/**
 * A cart line's warnings: a lot recalled since it went into the cart (the catalog changed), more of the product in the cart
 * than is available (every line of it counted), and the expiry of the scanned pack (else of the product's next batch).
 * @param {Cart} cart
 * @param {CartLine} line
 * @param {Product | undefined | null} product the live catalog product
 * @param {number} available what the till may still sell of it
 * @param {string} today
 * @returns {LineWarning[]}
 */
export function cartLineWarnings(cart, line, product, available, today) {
  if (!product) return lineWarnings(line, null, today);
  /** @type {LineWarning[]} */
  const recalled = line.lotNumber && isRecalledLot(product, line.lotNumber) ? [{ type: 'recalled', message: `${recalledMessage(line.lotNumber)}: remove it from the sale` }] : [];
  const key = lineKey(line);
  let others = 0;
  for (const l of cart.lines) if (l.sku === line.sku && lineKey(l) !== key) others += l.quantity;
  const left = Math.max(0, available - others);
  return [...recalled, ...lineWarnings(line, { available: left, nextExpiry: line.expiryDate ?? product.nextExpiry }, today)];
}
