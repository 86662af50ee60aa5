// @ts-check
/**
 * Money as the outlet writes it, and the tax of a receipt: pure functions, node-tested.
 * The tax rule is the server's (BackOffice.Core.Sales.Tax, api.md "Money"): computed per line, rounded half away
 * from zero to the currency's minor unit; for tax-inclusive outlets the tax is the rate's part of the price, for
 * tax-exclusive ones it is added on top. Integer arithmetic (BigInt), so a receipt printed offline says exactly what
 * the server records.
 */

/** @typedef {{ currency?: string | null, culture?: string | null, pricesIncludeTax?: boolean | null }} OutletMoney */
/** @typedef {{ category: string, rate: number, net: number, tax: number, gross: number }} TaxRow */
/** @typedef {{ amountCents: number, taxCategory?: string | null, taxRate?: number | null }} TaxedLine */

// ISO 4217 currencies without a minor unit (the server's OutletMoney.MinorUnit: the same list; three-decimal ones round to
// two here as there, amounts being stored with two).
const ZERO_DECIMAL = new Set(['BIF', 'CLP', 'DJF', 'GNF', 'ISK', 'JPY', 'KMF', 'KRW', 'PYG', 'RWF', 'UGX', 'UYI', 'VND', 'VUV', 'XAF', 'XOF', 'XPF']);

/** @param {string | null | undefined} currency */
export function minorUnit(currency) {
  return currency && ZERO_DECIMAL.has(currency) ? 0 : 2;
}

/**
 * n / d rounded half away from zero, for BigInts with d > 0.
 * @param {bigint} n @param {bigint} d
 */
function divRound(n, d) {
  const negative = n < 0n;
  const a = negative ? -n : n;
  const q = (2n * a + d) / (2n * d);
  return negative ? -q : q;
}

/**
 * The net and tax, in cents, of a line charging `amountCents` at `ratePercent` (up to three decimals).
 * @param {number} amountCents
 * @param {number} ratePercent
 * @param {boolean} pricesIncludeTax
 * @param {string | null | undefined} currency
 * @returns {{ netCents: number, taxCents: number }}
 */
export function lineTax(amountCents, ratePercent, pricesIncludeTax, currency) {
  const milli = BigInt(Math.round(Number(ratePercent || 0) * 1000));
  const amount = BigInt(Math.round(amountCents));
  // The minor unit in cents: 1 for pence and cents, 100 for a currency without one.
  const unit = 10n ** BigInt(2 - minorUnit(currency));
  const tax = pricesIncludeTax
    ? divRound(amount * milli, (100000n + milli) * unit) * unit
    : divRound(amount * milli, 100000n * unit) * unit;
  const taxCents = Number(tax);
  return pricesIncludeTax ? { netCents: Number(amount) - taxCents, taxCents } : { netCents: Number(amount), taxCents };
}

/**
 * What a receipt's lines charge: the total in cents (tax added where prices exclude it) and one row per (category, rate),
 * highest rate first, as the server answers `taxes`.
 * @param {TaxedLine[]} lines
 * @param {OutletMoney | null | undefined} money
 * @returns {{ totalCents: number, taxes: TaxRow[] }}
 */
export function receiptTaxes(lines, money) {
  const inclusive = money?.pricesIncludeTax !== false;
  let totalCents = 0;
  const taxed = lines.map((line) => {
    const { netCents, taxCents } = lineTax(line.amountCents, Number(line.taxRate ?? 0), inclusive, money?.currency);
    totalCents += netCents + taxCents;
    return { category: line.taxCategory ?? 'standard', rate: Number(line.taxRate ?? 0), netCents, taxCents };
  });
  return { totalCents, taxes: rowsOf(taxed) };
}

/**
 * Tax rows added up by (category, rate): a day's receipts for the Z report, the server's rows with this till's unsent ones.
 * @param {...TaxRow[]} lists
 * @returns {TaxRow[]}
 */
export function sumTaxRows(...lists) {
  return rowsOf(lists.flat().map((t) => ({ category: t.category, rate: Number(t.rate), netCents: Math.round(t.net * 100), taxCents: Math.round(t.tax * 100) })));
}

/**
 * One row per (category, rate), highest rate first, as the server answers `taxes`.
 * @param {{ category: string, rate: number, netCents: number, taxCents: number }[]} items
 * @returns {TaxRow[]}
 */
function rowsOf(items) {
  /** @type {Map<string, { category: string, rate: number, net: number, tax: number }>} */
  const rows = new Map();
  for (const item of items) {
    const key = `${item.category}|${item.rate}`;
    const row = rows.get(key) ?? { category: item.category, rate: item.rate, net: 0, tax: 0 };
    row.net += item.netCents;
    row.tax += item.taxCents;
    rows.set(key, row);
  }
  return [...rows.values()]
    .sort((a, b) => b.rate - a.rate || (a.category < b.category ? -1 : a.category > b.category ? 1 : 0))
    .map((r) => ({ category: r.category, rate: r.rate, net: r.net / 100, tax: r.tax / 100, gross: (r.net + r.tax) / 100 }));
}

/** @type {{ culture: string | undefined, currency: string | null }} */
const locale = { culture: undefined, currency: null };
/** @type {Map<string, Intl.NumberFormat>} */
const formats = new Map();

/**
 * How amounts and dates are written from now on: the outlet's culture and currency (GET /api/till/me).
 * An unknown culture falls back to the browser's, an unknown currency to plain numbers.
 * @param {OutletMoney | null | undefined} money
 */
export function setMoneyLocale(money) {
  const culture = money?.culture && Intl.NumberFormat.supportedLocalesOf([money.culture]).length ? money.culture : undefined;
  locale.culture = culture;
  locale.currency = money?.currency && /^[A-Z]{3}$/.test(money.currency) ? money.currency : null;
}

/** The culture amounts and dates are written in (undefined: the browser's). */
export function currentCulture() {
  return locale.culture;
}

/**
 * An amount in the outlet's currency and culture ("£6.98", "6,98 €", "$6.98"); plain "6.98" before the till knows its outlet.
 * @param {number} amount
 */
export function formatCurrency(amount) {
  const digits = minorUnit(locale.currency);
  const key = `${locale.culture ?? ''}|${locale.currency ?? ''}`;
  let format = formats.get(key);
  if (!format) {
    format = locale.currency
      ? new Intl.NumberFormat(locale.culture ?? 'en-GB', { style: 'currency', currency: locale.currency, minimumFractionDigits: digits, maximumFractionDigits: digits })
      : new Intl.NumberFormat(locale.culture ?? 'en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    formats.set(key, format);
  }
  return format.format(amount);
}

/**
 * A rate as receipts print it: "20%", "5.5%", "8.875%" (in the outlet's culture: "5,5 %" in French).
 * @param {number} rate
 */
export function formatRate(rate) {
  return new Intl.NumberFormat(locale.culture ?? 'en-GB', { style: 'percent', maximumFractionDigits: 3 }).format(Number(rate) / 100);
}
