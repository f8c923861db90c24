/** How a command is declared: its input schema, the access it needs, whether it mutates, and its result type. */
import type { z } from 'zod';
import type { Permission } from './permissions';

export type Access = 'public' | 'signed-in' | Permission;

export interface CommandSpec<Input extends z.ZodType, Result> {
  input: Input;
  access: Access;
  mutates: boolean;
  /** Type-only marker for the result; never set at runtime. */
  result?: Result;
}

export function command<Result>() {
  return <Input extends z.ZodType>(spec: Omit<CommandSpec<Input, Result>, 'result'>): CommandSpec<Input, Result> => spec;
}
