// Replaced at build time by tsup's `define` (see tsup.config.ts); absent when
// the sources run unbundled, e.g. under vitest.
declare const __SIMDNET_VERSION__: string | undefined;

/** The package version this code was built from. */
export const VERSION: string = typeof __SIMDNET_VERSION__ === 'string' ? __SIMDNET_VERSION__ : '0.0.0-dev';
