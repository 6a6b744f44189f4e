/**
 * The import graph of src/, by room (a folder of src/, or a top-level file),
 * and the rule it is held to: imports run one way, from the rooms that use to
 * the rooms that are used, never back. Type-only imports are left out: they
 * vanish from the built code and describe shapes, not dependencies.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import ts from 'typescript';

/**
 * Each room's rank: a module may import (a value from) a room of lower rank,
 * or its own room. Rooms of equal rank may not import each other.
 */
export const RANKS: Record<string, number> = {
  errors: 0,
  describe: 1, float32: 1, version: 1, shims: 1, names: 1,
  validate: 2, 'option-reader': 2,
  options: 3, random: 3,
  backend: 4,
  memory: 5, threads: 5,
  runtime: 6,
  data: 7,
  metrics: 8,
  io: 9,
  network: 10,
  training: 11,
  evaluation: 12,
  pipeline: 13,
  index: 14,
  // simdnet/csv and the interchange entries: built apart from the core, over it
  table: 15,
  model: 16, interchange: 16,
  csv: 17, onnx: 17, tfjs: 17, brain: 17,
  cli: 18,
};

/** The rooms built apart from the core: they import the core by its package name ('simdnet') only. */
export const OUTSIDE_CORE = new Set(['table', 'model', 'interchange', 'csv', 'onnx', 'tfjs', 'brain']);

/**
 * Modules outside-core rooms may bundle a copy of: pure code with no import
 * of the core's own (no class whose identity matters, no state).
 */
export const PURE_MODULES = new Set(['describe.ts', 'float32.ts', 'names.ts', 'option-reader.ts', join('io', 'preprocess-json.ts')]);

/** One value import: from a module to a module (paths relative to src/); 'simdnet' is the core entry, src/index.ts. */
export interface ImportEdge {
  from: string;
  to: string;
  dynamic: boolean;
}

/** The room of a module path relative to src/ ('network/plan.ts' → 'network', 'errors.ts' → 'errors'). */
export function roomOf(path: string): string {
  const parts = path.split(sep);
  return parts.length > 1 ? parts[0]! : parts[0]!.replace(/(\.(browser|edge))?\.ts$/, '');
}

/** Every value import of `source` (a module at `path`, relative to src/). */
export function valueImports(path: string, source: string): ImportEdge[] {
  const file = ts.createSourceFile(path, source, ts.ScriptTarget.ES2022, true);
  const edges: ImportEdge[] = [];
  const add = (spec: string, dynamic: boolean) => {
    if (spec === 'simdnet') edges.push({ from: path, to: 'index.ts', dynamic });
    else if (spec.startsWith('.')) edges.push({ from: path, to: normalize(join(dirname(path), spec)).replace(/\.js$/, '.ts'), dynamic });
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const typeOnly = clause !== undefined && (clause.isTypeOnly || (clause.name === undefined && clause.namedBindings !== undefined
        && ts.isNamedImports(clause.namedBindings) && clause.namedBindings.elements.length > 0 && clause.namedBindings.elements.every((e) => e.isTypeOnly)));
      if (!typeOnly) add(node.moduleSpecifier.text, false);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const typeOnly = node.isTypeOnly || (node.exportClause !== undefined && ts.isNamedExports(node.exportClause)
        && node.exportClause.elements.length > 0 && node.exportClause.elements.every((e) => e.isTypeOnly));
      if (!typeOnly) add(node.moduleSpecifier.text, false);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [arg] = node.arguments;
      if (arg && ts.isStringLiteral(arg)) add(arg.text, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return edges;
}

/** Why an import breaks the rule (null when it does not). */
export function violation(edge: ImportEdge): string | null {
  const from = roomOf(edge.from);
  const to = roomOf(edge.to);
  if (from === to) return null;
  const rf = RANKS[from];
  const rt = RANKS[to];
  if (rf === undefined) return `${edge.from}: the room '${from}' has no rank (add it to RANKS in test/support/import-graph.ts)`;
  if (rt === undefined) return `${edge.from} imports ${edge.to}: the room '${to}' has no rank`;
  if (OUTSIDE_CORE.has(from) && !OUTSIDE_CORE.has(to) && to !== 'index' && !PURE_MODULES.has(edge.to)) {
    return `${edge.from} imports ${edge.to}: code built apart from the core imports it by its package name ('simdnet'), or a second copy of its classes would be bundled`;
  }
  if (rt >= rf) return `${edge.from} imports ${edge.to}: '${from}' (rank ${rf}) may only import rooms below it, and '${to}' is rank ${rt}`;
  return null;
}

/** Every .ts module under `root`, as paths relative to it. */
export function modulesUnder(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.ts')) out.push(relative(root, path));
    }
  };
  walk(root);
  return out.sort();
}

/** The rule's breaches among the modules under `root` (src/). */
export function importViolations(root: string): string[] {
  return modulesUnder(root).flatMap((path) => valueImports(path, readFileSync(join(root, path), 'utf8')).map(violation).filter((v): v is string => v !== null));
}
