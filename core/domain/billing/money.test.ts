import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/errors';
import { currencyOf, divideRounded, formatMoney, parseMoney, prorate, type RoundingMode } from './money';

describe('formatMoney', () => {
  it.each([
    [300, 'CNY', 'symbol', '¥3.00'],
    [300, 'CNY', 'code', '3.00 CNY'],
    [10, 'CNY', 'symbol', '¥0.10'],
    [5, 'CNY', 'symbol', '¥0.05'],
    [0, 'CNY', 'symbol', '¥0.00'],
    [-1234, 'CNY', 'symbol', '-¥12.34'],
    [-1234, 'CNY', 'code', '-12.34 CNY'],
    [123456789, 'CNY', 'symbol', '¥1234567.89'],
    [500, 'JPY', 'symbol', 'JP¥500'],
  ] as const)('%i %s %s → %s', (minor, currency, style, text) => {
    expect(formatMoney(minor, currency, style)).toBe(text);
  });

  it('defaults to CNY with its symbol', () => {
    expect(formatMoney(1050)).toBe('¥10.50');
  });
});

describe('parseMoney', () => {
  it.each([
    ['0.10', 10],
    ['0.1', 10],
    ['3', 300],
    ['12.5', 1250],
    [' 1.05 ', 105],
    ['0', 0],
    ['007.00', 700],
  ])('%j → %i fen', (text, fen) => {
    expect(parseMoney(text)).toBe(fen);
  });

  it('follows the currency’s decimals', () => {
    expect(parseMoney('500', { currency: 'JPY' })).toBe(500);
    expect(() => parseMoney('1.5', { currency: 'JPY' })).toThrow('JPY amounts have at most 0 decimals: "1.5"');
  });

  it.each([
    ['-1', 'Amounts cannot be negative: "-1"'],
    ['-0.10', 'Amounts cannot be negative'],
    ['abc', '"abc" is not an amount'],
    ['1e3', '"1e3" is not an amount'],
    ['1.', '"1." is not an amount'],
    ['.5', '".5" is not an amount'],
    ['1,000', '"1,000" is not an amount'],
    ['', 'Enter an amount, e.g. 0.10'],
    ['0.105', 'CNY amounts have at most 2 decimals: "0.105"'],
    ['99999999999999999', 'is too large'],
  ])('refuses %j', (text, message) => {
    expect(() => parseMoney(text)).toThrow(message);
  });

  it('names the field in its error', () => {
    try {
      parseMoney('-1', { field: 'usagePrices.missed-detail' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({ code: 'validation', field: 'usagePrices.missed-detail' });
    }
  });

  it('round-trips with formatMoney', () => {
    for (const fen of [0, 1, 10, 99, 100, 3000, 123456]) expect(parseMoney(formatMoney(fen, 'CNY', 'code').split(' ')[0]!)).toBe(fen);
  });
});

describe('rounding', () => {
  const table: [number, number, Record<RoundingMode, number>][] = [
    [5, 2, { 'half-up': 3, 'half-even': 2, up: 3, down: 2 }],
    [7, 2, { 'half-up': 4, 'half-even': 4, up: 4, down: 3 }],
    [2, 3, { 'half-up': 1, 'half-even': 1, up: 1, down: 0 }],
    [1, 3, { 'half-up': 0, 'half-even': 0, up: 1, down: 0 }],
    [9, 3, { 'half-up': 3, 'half-even': 3, up: 3, down: 3 }],
    [-5, 2, { 'half-up': -3, 'half-even': -2, up: -3, down: -2 }],
    [-1, 3, { 'half-up': 0, 'half-even': 0, up: -1, down: 0 }],
  ];
  it.each(table)('%i / %i', (dividend, divisor, expected) => {
    for (const mode of Object.keys(expected) as RoundingMode[]) expect(divideRounded(dividend, divisor, mode), mode).toBe(expected[mode]);
  });

  it('never yields -0', () => {
    expect(Object.is(divideRounded(-1, 3, 'down'), 0)).toBe(true);
  });

  it('is exact at the edge of safe integers', () => {
    expect(divideRounded(Number.MAX_SAFE_INTEGER, 1)).toBe(Number.MAX_SAFE_INTEGER);
    expect(divideRounded(Number.MAX_SAFE_INTEGER, 2, 'down')).toBe(4503599627370495);
    expect(divideRounded(Number.MAX_SAFE_INTEGER, 2, 'half-up')).toBe(4503599627370496);
  });

  it('refuses what it cannot divide exactly', () => {
    expect(() => divideRounded(1.5, 2)).toThrow(RangeError);
    expect(() => divideRounded(1, 0)).toThrow(RangeError);
  });

  it('prorates a monthly rent by days', () => {
    expect(prorate(3000, 10, 31)).toBe(968); // 967.74
    expect(prorate(1001, 14, 28, 'half-up')).toBe(501); // 500.5
    expect(prorate(1001, 14, 28, 'half-even')).toBe(500);
    expect(prorate(1003, 14, 28, 'half-even')).toBe(502); // 501.5
    expect(prorate(3000, 10, 31, 'down')).toBe(967);
    expect(prorate(3000, 31, 31)).toBe(3000);
  });
});

it('refuses an unknown currency', () => {
  expect(() => currencyOf('XXX')).toThrow('Unknown currency "XXX"');
  expect(() => formatMoney(1, 'XXX')).toThrow(ApiError);
});
