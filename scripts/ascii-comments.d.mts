// Types of scripts/ascii-comments.mjs for the TypeScript that imports it (tsup.config.ts).
/** Rewrites every .js and .cjs file of `dir` that has a character beyond ASCII (in comment lines) in ASCII; returns the names of those it rewrote. */
export function asciiComments(dir: string): string[];
