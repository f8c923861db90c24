/** The one connection to the core for this window. */
import { CoreClient, takeLaunchKey } from './client';

export const core = new CoreClient(takeLaunchKey());
