/**
 * The package's public declarations (dist/*.d.ts) as a TypeScript user's
 * compiler sees them: compiled under a Node-only configuration (no DOM lib,
 * `skipLibCheck: false`), and walked for what lacks TSDoc.
 */
import { join } from 'node:path';
import ts from 'typescript';
import { ROOT } from './packed.js';

/** The entries whose declarations users import: simdnet, simdnet/csv, /onnx, /tfjs, /brain. */
export const DECLARATION_ENTRIES = ['index', 'csv', 'onnx', 'tfjs', 'brain'] as const;

/** A Node-only strict configuration, as a new TypeScript app on Node has it. */
export const NODE_ONLY_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  lib: ['lib.es2022.d.ts'],
  types: ['node'],
  strict: true,
  skipLibCheck: false,
  noEmit: true,
};

/** A program over the built declarations, resolving `simdnet` imports (the interchange entries') to dist/. */
export function declarationsProgram(): ts.Program {
  const files = DECLARATION_ENTRIES.map((e) => join(ROOT, 'dist', `${e}.d.ts`));
  const host = ts.createCompilerHost({ ...NODE_ONLY_OPTIONS, typeRoots: [join(ROOT, 'node_modules/@types')] });
  const resolve = host.resolveModuleNames;
  host.resolveModuleNames = (names, containing, reused, redirected, options) =>
    names.map((name) => {
      if (name === 'simdnet') return { resolvedFileName: join(ROOT, 'dist/index.d.ts'), extension: ts.Extension.Dts };
      return resolve
        ? resolve.call(host, [name], containing, reused, redirected, options)[0]
        : ts.resolveModuleName(name, containing, options, host).resolvedModule;
    });
  return ts.createProgram(files, { ...NODE_ONLY_OPTIONS, typeRoots: [join(ROOT, 'node_modules/@types')] }, host);
}

/** Every diagnostic of the program, as `file:line: message`. */
export function diagnostics(program: ts.Program): string[] {
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const text = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    if (!d.file || d.start === undefined) return text;
    const { line } = d.file.getLineAndCharacterOfPosition(d.start);
    return `${d.file.fileName.replace(ROOT, '')}:${line + 1}: ${text}`;
  });
}

function hasDoc(node: ts.Node): boolean {
  // a variable's comment sits on its statement
  const target = ts.isVariableDeclaration(node) ? node.parent.parent : node;
  return ts.getJSDocCommentsAndTags(target).some((d) => ts.isJSDoc(d) && (d.comment !== undefined || (d.tags?.length ?? 0) > 0));
}

function isHidden(member: ts.Node): boolean {
  const flags = ts.getCombinedModifierFlags(member as ts.Declaration);
  if (flags & ts.ModifierFlags.Private) return true;
  const name = (member as ts.NamedDeclaration).name;
  return name !== undefined && ts.isPrivateIdentifier(name);
}

function memberName(member: ts.Node): string {
  if (ts.isConstructorDeclaration(member) || ts.isConstructSignatureDeclaration(member)) return 'constructor';
  if (ts.isCallSignatureDeclaration(member)) return '(call)';
  if (ts.isIndexSignatureDeclaration(member)) return '[index]';
  const name = (member as ts.NamedDeclaration).name;
  return name ? name.getText() : '?';
}

/** Members of object types written out in `type` (type literals, through unions, intersections, arrays and generics). */
function typeLiteralMembers(type: ts.TypeNode | undefined): ts.TypeElement[] {
  if (!type) return [];
  if (ts.isTypeLiteralNode(type)) return [...type.members];
  if (ts.isUnionTypeNode(type) || ts.isIntersectionTypeNode(type)) return type.types.flatMap(typeLiteralMembers);
  if (ts.isArrayTypeNode(type)) return typeLiteralMembers(type.elementType);
  if (ts.isParenthesizedTypeNode(type)) return typeLiteralMembers(type.type);
  if (ts.isTypeReferenceNode(type)) return (type.typeArguments ?? []).flatMap(typeLiteralMembers);
  return [];
}

function membersOf(decl: ts.Declaration): ts.Node[] {
  if (ts.isClassDeclaration(decl) || ts.isInterfaceDeclaration(decl)) return [...decl.members];
  if (ts.isTypeAliasDeclaration(decl)) return typeLiteralMembers(decl.type);
  return [];
}

function baseOf(c: ts.ClassLikeDeclaration): ts.ExpressionWithTypeArguments | undefined {
  return c.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
}

/**
 * Whether the editor shows documentation for `member` although it has none
 * of its own: a setter whose getter has it, or an override of a documented
 * member of a base class (not a constructor: its parameters are its own).
 */
function documentedElsewhere(member: ts.Node, checker: ts.TypeChecker): boolean {
  const owner = member.parent;
  const name = memberName(member);
  if (ts.isSetAccessorDeclaration(member) && ts.isClassLike(owner)) {
    return owner.members.some((m) => ts.isGetAccessorDeclaration(m) && memberName(m) === name && hasDoc(m));
  }
  // declarations drop `override`: a member named as one of a base class's is one
  if (!ts.isClassLike(owner)) return false;
  if (name === 'constructor') return false;
  const isStatic = (ts.getCombinedModifierFlags(member as ts.Declaration) & ts.ModifierFlags.Static) !== 0;
  for (let base = baseOf(owner); base; ) {
    const symbol = checker.getSymbolAtLocation(base.expression);
    const decl = symbol && (symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol).valueDeclaration;
    if (!decl || !ts.isClassLike(decl)) return false;
    const same = decl.members.find((m) => memberName(m) === name && ((ts.getCombinedModifierFlags(m) & ts.ModifierFlags.Static) !== 0) === isStatic);
    if (same && hasDoc(same)) return true;
    base = baseOf(decl);
  }
  return false;
}

/**
 * What a user's editor would show no documentation for: every exported
 * symbol of the entries, and every public member of the exported classes,
 * interfaces and object types (nested object types too), by name.
 */
export function undocumented(program: ts.Program, files: readonly string[] = DECLARATION_ENTRIES.map((e) => join(ROOT, 'dist', `${e}.d.ts`))): string[] {
  const checker = program.getTypeChecker();
  const missing = new Set<string>();
  const seen = new Set<ts.Node>();
  const visitMember = (owner: string, member: ts.Node): void => {
    if (isHidden(member) || seen.has(member)) return;
    seen.add(member);
    const name = `${owner}.${memberName(member)}`;
    if (!hasDoc(member) && !documentedElsewhere(member, checker)) missing.add(name);
    const type = (member as { type?: ts.TypeNode }).type;
    for (const nested of typeLiteralMembers(type)) visitMember(name, nested);
  };
  for (const path of files) {
    const file = program.getSourceFile(path);
    if (!file) throw new Error(`${path} is missing: run \`npm run build\` first`);
    const moduleSymbol = checker.getSymbolAtLocation(file);
    if (!moduleSymbol) continue;
    for (const exported of checker.getExportsOfModule(moduleSymbol)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      for (const decl of symbol.declarations ?? []) {
        if (seen.has(decl)) continue;
        seen.add(decl);
        const name = symbol.getName();
        if (!hasDoc(decl)) missing.add(name);
        for (const member of membersOf(decl)) visitMember(name, member);
      }
    }
  }
  return [...missing].sort();
}
