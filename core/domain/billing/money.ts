/**
 * Money as integer minor units (fen for CNY): sums stay exact, and only
 * proration divides, with an explicit rounding mode.
 */
import { ApiError } from '../../api/errors';

export interface Currency {
  code: string;
  /** Digits after the decimal point: 2 for CNY (fen), 0 for JPY. */
  minorDigits: number;
  symbol: string;
}

export const defaultCurrency = 'CNY';

export const currencies: Readonly<Record<string, Currency>> = {
  CNY: { code: 'CNY', minorDigits: 2, symbol: '¥' },
  HKD: { code: 'HKD', minorDigits: 2, symbol: 'HK$' },
  MOP: { code: 'MOP', minorDigits: 2, symbol: 'MOP$' },
  USD: { code: 'USD', minorDigits: 2, symbol: '$' },
  EUR: { code: 'EUR', minorDigits: 2, symbol: '€' },
  JPY: { code: 'JPY', minorDigits: 0, symbol: 'JP¥' },
};

export function isKnownCurrency(code: string): boolean {
  return Object.hasOwn(currencies, code);
}

export function currencyOf(code: string): Currency {
  if (!isKnownCurrency(code)) {
    throw new ApiError('validation', `Unknown currency "${code}": use one of ${Object.keys(currencies).join(', ')}`, { field: 'currency' });
  }
  return currencies[code]!;
}

/** "¥3.00" (symbol) or "3.00 CNY" (code, for exports and logs); no digit grouping so files parse back. */
export function formatMoney(minor: number, currency: string = defaultCurrency, style: 'symbol' | 'code' = 'symbol'): string {
  const { minorDigits, symbol, code } = currencyOf(currency);
  const sign = minor < 0 ? '-' : '';
  const digits = String(Math.abs(minor)).padStart(minorDigits + 1, '0');
  const whole = digits.slice(0, digits.length - minorDigits);
  const decimal = minorDigits > 0 ? `${whole}.${digits.slice(-minorDigits)}` : whole;
  return style === 'symbol' ? `${sign}${symbol}${decimal}` : `${sign}${decimal} ${code}`;
}

/**
 * A decimal amount as typed by an admin ("0.10", "3", "12.5") → minor units (10, 300, 1250).
 * Refuses negatives, anything but plain digits, and more decimals than the currency has:
 * a price is never silently rounded.
 */
export function parseMoney(text: string, options: { currency?: string; field?: string } = {}): number {
  const { code, minorDigits } = currencyOf(options.currency ?? defaultCurrency);
  const field = options.field ?? 'amount';
  const fail = (message: string) => new ApiError('validation', message, { field, params: { value: text } });
  const trimmed = text.trim();
  if (trimmed === '') throw fail(minorDigits > 0 ? 'Enter an amount, e.g. 0.10' : 'Enter an amount, e.g. 100');
  const match = /^(-)?(\d+)(?:\.(\d+))?$/.exec(trimmed);
  if (!match) throw fail(`"${trimmed}" is not an amount: use digits with an optional decimal point, e.g. 0.10`);
  const [, minus, whole, fraction = ''] = match;
  if (minus) throw fail(`Amounts cannot be negative: "${trimmed}"`);
  if (fraction.length > minorDigits) {
    throw fail(`${code} amounts have at most ${minorDigits} decimal${minorDigits === 1 ? '' : 's'}: "${trimmed}"`);
  }
  const value = Number(whole! + fraction.padEnd(minorDigits, '0'));
  if (!Number.isSafeInteger(value)) throw fail(`"${trimmed}" is too large`);
  return value;
}

export const roundingModes = ['half-up', 'half-even', 'up', 'down'] as const;
/**
 * How a division that does not come out even is rounded, symmetric around zero:
 * half-up rounds halves away from zero, half-even to the even neighbour (banker's),
 * up away from zero, down toward zero (truncation).
 */
export type RoundingMode = (typeof roundingModes)[number];

/** dividend / divisor as an integer, rounded by `mode`, exact for all safe integers. */
export function divideRounded(dividend: number, divisor: number, mode: RoundingMode = 'half-up'): number {
  if (!Number.isSafeInteger(dividend)) throw new RangeError(`Not a safe integer: ${dividend}`);
  if (!Number.isSafeInteger(divisor) || divisor <= 0) throw new RangeError(`Divisor must be a positive integer: ${divisor}`);
  const magnitude = Math.abs(dividend);
  let quotient = Math.floor(magnitude / divisor);
  // Floating division may land one off for large operands; the remainder puts it right.
  let remainder = magnitude - quotient * divisor;
  if (remainder < 0) {
    quotient -= 1;
    remainder += divisor;
  } else if (remainder >= divisor) {
    quotient += 1;
    remainder -= divisor;
  }
  const twice = remainder * 2;
  let awayFromZero: boolean;
  switch (mode) {
    case 'half-up':
      awayFromZero = twice >= divisor;
      break;
    case 'half-even':
      awayFromZero = twice > divisor || (twice === divisor && quotient % 2 === 1);
      break;
    case 'up':
      awayFromZero = remainder > 0;
      break;
    case 'down':
      awayFromZero = false;
      break;
  }
  const rounded = quotient + (awayFromZero ? 1 : 0);
  return dividend < 0 && rounded !== 0 ? -rounded : rounded;
}

/** amount × part / whole, rounded once: e.g. a monthly rent for 10 of 31 days. */
export function prorate(amount: number, part: number, whole: number, mode: RoundingMode = 'half-up'): number {
  return divideRounded(amount * part, whole, mode);
}
