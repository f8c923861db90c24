/** Compile-time checks that the catalogue names every command, built-in role and permission area of the API. */
import type { BuiltinRoleKey, CommandName, PermissionArea } from '../../core/api';
import type { en } from './en';

type Assert<T extends true> = T;
type Covers<K extends PropertyKey, T> = [K] extends [keyof T] ? true : false;

export type CommandNamesCovered = Assert<Covers<CommandName, typeof en.commandNames>>;
export type RoleNamesCovered = Assert<Covers<BuiltinRoleKey, typeof en.roleNames>>;
export type RoleDescriptionsCovered = Assert<Covers<BuiltinRoleKey, typeof en.roleDescriptions>>;
export type AreasCovered = Assert<Covers<PermissionArea, typeof en.permissionAreas>>;
