// Types of scripts/generate-abi.mjs for the TypeScript that imports it (test/backend/abi.test.ts).
export function renderAssemblyAbi(abi: object): string;
export function loadAbi(): Promise<Record<string, unknown>>;
export function generateAssemblyAbi(): Promise<boolean>;
