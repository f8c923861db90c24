declare const __REACHBACK_VERSION__: string | undefined;

/** Set by the build from package.json; tests running from source see the dev marker. */
export const version: string = typeof __REACHBACK_VERSION__ === 'string' ? __REACHBACK_VERSION__ : '0.0.0-dev';
