/** Rules for operator passwords; pure so the console and the core agree. */
export interface PasswordProblem {
  message: string;
  params?: Record<string, string | number>;
}

export function checkPasswordPolicy(password: string, username: string, minLength: number): PasswordProblem | null {
  if (password.length < minLength) return { message: `Use at least ${minLength} characters`, params: { minLength } };
  if (password.toLowerCase().includes(username.toLowerCase())) return { message: 'The password must not contain the username' };
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  if (classes < 2) return { message: 'Mix at least two of: lower case, upper case, digits, symbols' };
  return null;
}
