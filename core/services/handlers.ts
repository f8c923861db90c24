/** Every command's handler, checked by the compiler against the command map. */
import { authHandlers } from './access/auth';
import { operatorHandlers } from './access/operators';
import { roleHandlers } from './access/roles';
import type { Handlers } from './context';
import { systemHandlers } from './system';
import { bulkImportHandlers } from './engine/bulk-import';
import { engineHandlers } from './engine/console-handlers';
import { billingHandlers } from './billing/handlers';
import { deskHandlers } from './desk/handlers';
import { networkHandlers } from './network/handlers';

export const handlers: Handlers = {
  ...authHandlers,
  ...operatorHandlers,
  ...roleHandlers,
  ...systemHandlers,
  ...engineHandlers,
  ...bulkImportHandlers,
  ...billingHandlers,
  ...deskHandlers,
  ...networkHandlers,
};
