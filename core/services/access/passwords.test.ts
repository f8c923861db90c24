import { describe, expect, it } from 'vitest';
import { checkPasswordPolicy } from '../../domain/password-policy';
import { generateOneTimePassword, hashPassword, verifyPassword } from './passwords';

describe('password hashing', () => {
  it('stores scrypt with its parameters and a random salt, and verifies', async () => {
    const a = await hashPassword('Tr0ub4dor&3');
    const b = await hashPassword('Tr0ub4dor&3');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('Tr0ub4dor&3', a)).toBe(true);
    expect(await verifyPassword('Tr0ub4dor&4', a)).toBe(false);
    expect(await verifyPassword('Tr0ub4dor&3', 'md5$abc')).toBe(false);
  });

  it('treats composed and decomposed Unicode the same', async () => {
    const hash = await hashPassword('Caf\u00e9-Pass-1');
    expect(await verifyPassword('Cafe\u0301-Pass-1', hash)).toBe(true);
  });

  it('issues one-time passwords that differ and pass the policy', () => {
    const passwords = new Set(Array.from({ length: 50 }, generateOneTimePassword));
    expect(passwords.size).toBe(50);
    for (const p of passwords) expect(checkPasswordPolicy(p, 'admin', 10)).toBeNull();
  });
});

describe('password policy', () => {
  it('asks for length, no username, and a mix of characters', () => {
    expect(checkPasswordPolicy('Ab1!', 'op', 10)?.params).toEqual({ minLength: 10 });
    expect(checkPasswordPolicy('xxOperator99', 'operator', 10)?.message).toMatch(/username/);
    expect(checkPasswordPolicy('alllowercaseletters', 'op', 10)?.message).toMatch(/Mix/);
    expect(checkPasswordPolicy('Correct-Horse-42', 'op', 10)).toBeNull();
  });
});
