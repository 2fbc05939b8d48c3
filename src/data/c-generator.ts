/**
 * A small grammar-based generator of plausible C, used as the demo corpus where Node.js's headers
 * are missing and as a test bed with known long-range structure. It writes files made of a header
 * comment, includes, `#define`s, struct definitions, globals and functions whose bodies nest
 * blocks (for, while, if/else), calls earlier functions, and reuses the identifiers it declared.
 * Everything is produced from word lists and a seeded random source; no third-party code is in it.
 */
import { ConfigError } from '../core/errors.js';
import { SeededRandom } from '../core/random.js';
import type { BracketPair, CStructure, IdentifierKind, IdentifierRecord, OpeningBracket } from './c-structure.js';

/**
 * Options of {@link generateCCorpus}.
 *
 * @category Corpus and batches
 */
export interface GenerateCOptions {
  /** Seed of the random source: equal seeds give identical text. */
  readonly seed: number;
  /** Minimum length in characters; generation stops at the first top-level boundary at or past it. */
  readonly chars: number;
}

/**
 * A generated corpus with its structure.
 *
 * @category Corpus and batches
 */
export interface GeneratedC {
  /** The C text (ASCII, so character offsets equal string indices). */
  readonly text: string;
  /** Bracket pairs and identifier declarations/uses in `text`. */
  readonly structure: CStructure;
}

const NOUNS = [
  'buf', 'node', 'item', 'entry', 'page', 'dev', 'file', 'lock', 'queue', 'table', 'list', 'key',
  'value', 'count', 'size', 'flag', 'state', 'mode', 'slot', 'cache', 'block', 'frame', 'event',
  'timer', 'task', 'port', 'packet', 'ring', 'index', 'offset', 'limit', 'total', 'level', 'score',
  'width', 'depth', 'cursor', 'token', 'chunk', 'head', 'tail', 'range', 'region', 'group', 'owner',
];
const VERBS = [
  'init', 'alloc', 'release', 'find', 'lookup', 'insert', 'remove', 'update', 'check', 'reset',
  'parse', 'scan', 'copy', 'fill', 'count', 'flush', 'load', 'store', 'start', 'stop', 'push', 'pop',
  'apply', 'compute', 'merge', 'split', 'walk', 'mark', 'clear', 'grow',
];
const SUFFIXES = ['', '', '', '_len', '_count', '_max', '_id', '_idx', '_sum', '_bits'];
const MACRO_SUFFIXES = ['_MAX', '_MIN', '_SHIFT', '_MASK', '_SIZE', '_LIMIT', '_BITS', '_COUNT'];
const LOOP_NAMES = ['i', 'j', 'k', 'n', 'idx', 'pos'];
const HEADERS = ['stdio.h', 'stdlib.h', 'string.h', 'stddef.h', 'stdint.h', 'errno.h', 'limits.h', 'stdbool.h'];
const NUMERIC_TYPES = ['int', 'int', 'long', 'unsigned int', 'size_t', 'unsigned long'];
const COMMENT_WORDS = [
  'walk', 'the', 'list', 'until', 'we', 'find', 'a', 'free', 'slot', 'check', 'for', 'overflow',
  'before', 'adding', 'keep', 'caller', 'holds', 'lock', 'return', 'number', 'of', 'entries', 'zero',
  'on', 'success', 'negative', 'error', 'otherwise', 'update', 'cached', 'value', 'so', 'next',
  'lookup', 'is', 'fast', 'this', 'must', 'not', 'sleep', 'table', 'grows', 'when', 'full', 'old',
  'new', 'count', 'may', 'wrap', 'around', 'clear', 'bits', 'first', 'last', 'it', 'to', 'in',
];
const FORMAT_WORDS = ['count', 'total', 'size', 'value', 'index', 'state', 'offset', 'level'];
const RESERVED = new Set([
  'auto', 'break', 'case', 'char', 'const', 'continue', 'default', 'do', 'double', 'else', 'enum',
  'extern', 'float', 'for', 'goto', 'if', 'inline', 'int', 'long', 'register', 'restrict', 'return',
  'short', 'signed', 'sizeof', 'static', 'struct', 'switch', 'typedef', 'union', 'unsigned', 'void',
  'volatile', 'while', 'printf', 'malloc', 'free', 'main', 'size_t', 'NULL',
]);

/** Nesting limit of statement blocks inside a function body. */
const MAX_BLOCK_DEPTH = 4;

/** A C type as the generator uses it. */
interface CType {
  /** `num` (integer types), `str` (`char *`) or `ptr` (pointer to a generated struct). */
  readonly kind: 'num' | 'str' | 'ptr';
  /** Spelling of an integer type. */
  readonly spelling?: string;
  /** The struct pointed to, for `ptr`. */
  readonly struct?: StructInfo;
}

/** A declared variable, parameter, global or struct field, with its type. */
interface Variable {
  readonly rec: IdentifierRecord;
  readonly type: CType;
}

/** A struct definition: its tag and fields. */
interface StructInfo {
  readonly rec: IdentifierRecord;
  readonly fields: Variable[];
}

/** A defined function: callable by later functions with arguments of its parameter types. */
interface FunctionInfo {
  readonly rec: IdentifierRecord;
  /** `null` for void. */
  readonly returns: CType | null;
  readonly params: CType[];
}

/** A `#define`d name. */
interface MacroInfo {
  readonly rec: IdentifierRecord;
  /** Function-like macros take one numeric argument. */
  readonly functionLike: boolean;
}

const BRACKETS = /[()[\]{}]/;
const CLOSER: Record<OpeningBracket, string> = { '(': ')', '[': ']', '{': '}' };

/**
 * Appends text and records structure as it goes, so the report is correct by construction: brackets
 * only enter through {@link open}/{@link close}, identifiers through {@link declare}/{@link use}.
 */
class StructuredWriter {
  private readonly parts: string[] = [];
  length = 0;
  private readonly stack: { char: OpeningBracket; at: number }[] = [];
  readonly brackets: BracketPair[] = [];
  readonly identifiers: IdentifierRecord[] = [];

  /** Appends bracket-free text. */
  write(s: string): void {
    if (BRACKETS.test(s)) throw new Error(`internal: bracket written outside open/close: ${JSON.stringify(s)}`);
    this.parts.push(s);
    this.length += s.length;
  }

  /** Appends an opening bracket and remembers where it is. */
  open(char: OpeningBracket): void {
    this.stack.push({ char, at: this.length });
    this.parts.push(char);
    this.length++;
  }

  /** Appends the bracket closing the innermost open one and records the pair. */
  close(): void {
    const top = this.stack.pop();
    if (!top) throw new Error('internal: close without open');
    this.brackets.push({ char: top.char, open: top.at, close: this.length });
    this.parts.push(CLOSER[top.char]);
    this.length++;
  }

  /** Appends a declaration of `name` and starts its record. */
  declare(kind: IdentifierKind, name: string): IdentifierRecord {
    const rec: IdentifierRecord = { name, kind, declaredAt: this.length, uses: [] };
    this.identifiers.push(rec);
    this.write(name);
    return rec;
  }

  /** Appends a use of a declared identifier and records where. */
  use(rec: IdentifierRecord): void {
    rec.uses.push(this.length);
    this.write(rec.name);
  }

  /** Everything written so far. */
  text(): string {
    return this.parts.join('');
  }
}

/** The grammar: one instance generates one corpus. */
class CGrammar {
  private readonly rng: SeededRandom;
  private readonly out = new StructuredWriter();
  /** Per file: names at file scope (functions, macros, globals) and struct tags. */
  private fileNames = new Set<string>();
  private structs: StructInfo[] = [];
  private functions: FunctionInfo[] = [];
  private macros: MacroInfo[] = [];
  private globals: Variable[] = [];
  /** Block scopes of the function being written, innermost last. */
  private scopes: Map<string, Variable>[] = [];
  private indent = 0;
  private loopDepth = 0;

  constructor(seed: number) {
    this.rng = new SeededRandom(seed);
  }

  generate(chars: number): GeneratedC {
    while (this.out.length < chars) this.file(chars);
    return { text: this.out.text(), structure: { brackets: this.out.brackets, identifiers: this.out.identifiers } };
  }

  // ---- random helpers ----

  private pick<T>(xs: readonly T[]): T {
    return xs[this.rng.int(xs.length)];
  }

  private chance(p: number): boolean {
    return this.rng.next() < p;
  }

  private between(lo: number, hi: number): number {
    return lo + this.rng.int(hi - lo + 1);
  }

  private visible(name: string): boolean {
    return RESERVED.has(name) || this.fileNames.has(name) || this.scopes.some((s) => s.has(name));
  }

  /** A name from `make` not yet visible; after a few tries, a numbered variant. */
  private fresh(make: () => string): string {
    let name = make();
    for (let tries = 0; tries < 8 && this.visible(name); tries++) name = make();
    for (let k = 2; this.visible(name); k++) name = `${name.replace(/_\d+$/, '')}_${k}`;
    return name;
  }

  private lineStart(): void {
    this.out.write('\t'.repeat(this.indent));
  }

  // ---- files and top-level items ----

  private file(limit: number): void {
    this.fileNames = new Set();
    this.structs = [];
    this.functions = [];
    this.macros = [];
    this.globals = [];
    const item = (emit: () => void): boolean => {
      emit();
      return this.out.length >= limit;
    };
    if (item(() => this.headerComment())) return;
    if (item(() => this.includes())) return;
    for (let i = this.between(1, 4); i > 0; i--) if (item(() => this.define())) return;
    this.out.write('\n');
    for (let i = this.between(1, 2); i > 0; i--) if (item(() => this.struct())) return;
    for (let i = this.between(0, 2); i > 0; i--) if (item(() => this.globalVariable())) return;
    if (this.globals.length > 0) this.out.write('\n');
    for (let i = this.between(2, 5); i > 0; i--) if (item(() => this.func())) return;
  }

  private sentence(min: number, max: number): string {
    const words: string[] = [];
    for (let i = this.between(min, max); i > 0; i--) words.push(this.pick(COMMENT_WORDS));
    return words[0][0].toUpperCase() + words.join(' ').slice(1);
  }

  private headerComment(): void {
    const base = `${this.pick(NOUNS)}_${this.pick(NOUNS)}`;
    this.out.write(`/*\n * ${base}.c - ${this.sentence(3, 7)}.\n *\n * ${this.sentence(5, 10)}.\n */\n`);
  }

  private includes(): void {
    const chosen = new Set<string>();
    for (let i = this.between(2, 4); i > 0; i--) chosen.add(this.pick(HEADERS));
    for (const h of chosen) this.out.write(`#include <${h}>\n`);
    this.out.write('\n');
  }

  private define(): void {
    const noun = this.pick(NOUNS).toUpperCase();
    if (this.chance(0.3)) {
      // A function-like macro: its parameter is declared and reused inside the expansion.
      const name = this.fresh(() => `${this.pick(VERBS).toUpperCase()}_${this.pick(NOUNS).toUpperCase()}`);
      this.out.write('#define ');
      const rec = this.out.declare('macro', name);
      this.out.open('(');
      const param = this.out.declare('parameter', this.pick(['x', 'v', 'n']));
      this.out.close();
      this.out.write(' ');
      this.out.open('(');
      this.out.open('(');
      this.out.use(param);
      this.out.close();
      this.out.write(` ${this.pick(['*', '<<', '+', '&', '>>'])} ${this.between(1, 8)}`);
      this.out.close();
      this.out.write('\n');
      this.fileNames.add(name);
      this.macros.push({ rec, functionLike: true });
    } else {
      const name = this.fresh(() => noun + this.pick(MACRO_SUFFIXES));
      this.out.write('#define ');
      const rec = this.out.declare('macro', name);
      const value = name.endsWith('_MASK') ? `0x${(this.between(1, 255)).toString(16)}` : String(this.pick([4, 8, 16, 32, 64, 128, 256, 1024]));
      this.out.write(` ${value}\n`);
      this.fileNames.add(name);
      this.macros.push({ rec, functionLike: false });
    }
  }

  private numericType(): CType {
    return { kind: 'num', spelling: this.pick(NUMERIC_TYPES) };
  }

  private struct(): void {
    const tag = this.fresh(() => (this.chance(0.5) ? this.pick(NOUNS) : `${this.pick(NOUNS)}_${this.pick(NOUNS)}`));
    this.out.write('struct ');
    const rec = this.out.declare('struct', tag);
    this.fileNames.add(tag);
    const info: StructInfo = { rec, fields: [] };
    this.out.write(' ');
    this.out.open('{');
    this.out.write('\n');
    const used = new Set<string>();
    for (let i = this.between(2, 5); i > 0; i--) {
      let name = this.pick(NOUNS) + this.pick(SUFFIXES);
      while (used.has(name) || RESERVED.has(name)) name = this.pick(NOUNS) + this.pick(SUFFIXES);
      used.add(name);
      const type: CType = this.chance(0.2) ? { kind: 'str' } : this.numericType();
      this.out.write('\t');
      this.writeType(type);
      info.fields.push({ rec: this.out.declare('field', name), type });
      this.out.write(';\n');
    }
    if (this.chance(0.4) && !used.has('label')) {
      // A fixed-size array field: brackets around a macro or a literal.
      this.out.write('\tchar ');
      this.out.declare('field', 'label');
      this.out.open('[');
      const sizes = this.macros.filter((m) => !m.functionLike);
      if (sizes.length > 0 && this.chance(0.6)) this.out.use(this.pick(sizes).rec);
      else this.out.write(String(this.pick([8, 16, 32])));
      this.out.close();
      this.out.write(';\n');
    }
    if (this.chance(0.6)) {
      const type: CType = { kind: 'ptr', struct: info };
      this.out.write('\t');
      this.writeType(type);
      info.fields.push({ rec: this.out.declare('field', this.pick(['next', 'parent', 'link'])), type });
      this.out.write(';\n');
    }
    this.out.close();
    this.out.write(';\n\n');
    this.structs.push(info);
  }

  private globalVariable(): void {
    const type = this.numericType();
    const name = this.fresh(() => `${this.pick(NOUNS)}${this.pick(['_total', '_count', '_max', '_seen', '_gen'])}`);
    this.out.write('static ');
    this.writeType(type);
    const rec = this.out.declare('global', name);
    this.out.write(';\n');
    this.fileNames.add(name);
    this.globals.push({ rec, type });
  }

  /** Writes a type before a declarator: `int `, `char *`, `struct foo *`. */
  private writeType(type: CType): void {
    if (type.kind === 'num') this.out.write(`${type.spelling} `);
    else if (type.kind === 'str') this.out.write('char *');
    else {
      this.out.write('struct ');
      this.out.use(type.struct!.rec);
      this.out.write(' *');
    }
  }

  private randomType(): CType {
    const r = this.rng.next();
    if (r < 0.3 && this.structs.length > 0) return { kind: 'ptr', struct: this.pick(this.structs) };
    if (r < 0.4) return { kind: 'str' };
    return this.numericType();
  }

  private func(): void {
    const name = this.fresh(() => `${this.pick(VERBS)}_${this.pick(NOUNS)}`);
    const returns: CType | null = this.chance(0.2) ? null : this.chance(0.8) ? this.numericType() : this.randomType();
    const paramTypes: CType[] = [];
    for (let i = this.between(1, 3); i > 0; i--) paramTypes.push(this.randomType());

    this.out.write(this.chance(0.6) ? 'static ' : '');
    if (returns === null) this.out.write('void ');
    else this.writeType(returns);
    const rec = this.out.declare('function', name);
    this.fileNames.add(name);
    this.scopes = [new Map()];
    this.out.open('(');
    paramTypes.forEach((type, i) => {
      if (i > 0) this.out.write(', ');
      this.writeType(type);
      this.declareVariable('parameter', type, this.variableName(type));
    });
    this.out.close();
    this.out.write('\n');
    const info: FunctionInfo = { rec, returns, params: paramTypes };

    this.out.open('{');
    this.out.write('\n');
    this.indent = 1;
    for (let i = this.between(1, 3); i > 0; i--) this.declaration();
    if (!this.variables('num').length) this.declaration(this.numericType());
    this.out.write('\n');
    for (let i = this.between(2, 6); i > 0; i--) this.statement(1);
    if (returns !== null) {
      this.lineStart();
      this.out.write('return ');
      this.expression(returns, 1);
      this.out.write(';\n');
    }
    this.out.close();
    this.out.write('\n\n');
    this.indent = 0;
    this.scopes = [];
    // Only now callable: a function is used after its definition, never before.
    this.functions.push(info);
  }

  private variableName(type: CType): string {
    return this.fresh(() => {
      if (type.kind === 'ptr') return this.pick([type.struct!.rec.name.split('_')[0], 'cur', 'p', 'prev', 'it']);
      if (type.kind === 'str') return this.pick(['name', 'label', 'path', 'msg', 'text']);
      return this.pick(NOUNS) + this.pick(SUFFIXES);
    });
  }

  private declareVariable(kind: IdentifierKind, type: CType, name: string): Variable {
    const v: Variable = { rec: this.out.declare(kind, name), type };
    this.scopes[this.scopes.length - 1].set(name, v);
    return v;
  }

  /** Variables of a kind visible here (innermost scopes included), plus file globals for numbers. */
  private variables(kind: CType['kind'], struct?: StructInfo): Variable[] {
    const found: Variable[] = [];
    for (const scope of this.scopes) {
      for (const v of scope.values()) if (v.type.kind === kind && (!struct || v.type.struct === struct)) found.push(v);
    }
    if (kind === 'num') found.push(...this.globals);
    return found;
  }

  // ---- statements ----

  private declaration(type: CType = this.randomType()): void {
    this.lineStart();
    this.writeType(type);
    const name = this.variableName(type);
    // The initializer is written before the name becomes visible, so it cannot refer to itself.
    const scope = this.scopes[this.scopes.length - 1];
    const rec = this.out.declare('variable', name);
    this.out.write(' = ');
    if (type.kind === 'ptr' && this.chance(0.3)) {
      this.out.write('malloc');
      this.out.open('(');
      this.out.write('sizeof');
      this.out.open('(');
      this.out.write('struct ');
      this.out.use(type.struct!.rec);
      this.out.close();
      this.out.close();
    } else {
      this.expression(type, 2);
    }
    this.out.write(';\n');
    scope.set(name, { rec, type });
  }

  private statement(depth: number): void {
    const r = this.rng.next();
    const nested = depth < MAX_BLOCK_DEPTH;
    if (r < 0.08) this.comment();
    else if (r < 0.16) this.declaration();
    else if (r < 0.36) this.assignment();
    else if (r < 0.48) this.callStatement();
    else if (r < 0.53) this.printStatement();
    else if (r < 0.68 && nested) this.forLoop(depth);
    else if (r < 0.84 && nested) this.ifStatement(depth);
    else if (r < 0.9 && nested) this.whileLoop(depth);
    else if (r < 0.94 && this.loopDepth > 0) {
      this.lineStart();
      this.out.write(this.chance(0.6) ? 'break;\n' : 'continue;\n');
    } else this.assignment();
  }

  private comment(): void {
    this.lineStart();
    this.out.write(`/* ${this.sentence(3, 9)}. */\n`);
  }

  private assignment(): void {
    this.lineStart();
    const nums = this.variables('num');
    const ptrs = this.variables('ptr');
    const r = this.rng.next();
    if (r < 0.25 && ptrs.length > 0) {
      const p = this.pick(ptrs);
      const fields = p.type.struct!.fields;
      const self = fields.filter((f) => f.type.kind === 'ptr' && f.type.struct === p.type.struct);
      if (self.length > 0 && this.chance(0.4)) {
        // cur = cur->next;
        this.out.use(p.rec);
        this.out.write(' = ');
        this.out.use(p.rec);
        this.out.write('->');
        this.out.use(this.pick(self).rec);
      } else {
        const f = this.pick(fields);
        this.out.use(p.rec);
        this.out.write('->');
        this.out.use(f.rec);
        this.out.write(' = ');
        this.expression(f.type, 2);
      }
    } else if (r < 0.4) {
      this.out.use(this.pick(nums).rec);
      this.out.write(this.chance(0.5) ? '++' : '--');
    } else {
      this.out.use(this.pick(nums).rec);
      this.out.write(` ${this.pick(['=', '=', '+=', '-=', '|=', '&=', '<<='])} `);
      this.expression({ kind: 'num' }, 2);
    }
    this.out.write(';\n');
  }

  private callStatement(): void {
    if (this.functions.length === 0) return this.assignment();
    this.lineStart();
    const fn = this.pick(this.functions);
    if (fn.returns?.kind === 'num' && this.chance(0.5)) {
      this.out.use(this.pick(this.variables('num')).rec);
      this.out.write(' = ');
    }
    this.call(fn, 1);
    this.out.write(';\n');
  }

  private printStatement(): void {
    this.lineStart();
    this.out.write('printf');
    this.out.open('(');
    this.out.write(`"${this.pick(FORMAT_WORDS)}: %ld\\n", `);
    this.out.open('(');
    this.out.write('long');
    this.out.close();
    this.expression({ kind: 'num' }, 1);
    this.out.close();
    this.out.write(';\n');
  }

  private block(body: () => void): void {
    this.out.open('{');
    this.out.write('\n');
    this.indent++;
    this.scopes.push(new Map());
    body();
    this.scopes.pop();
    this.indent--;
    this.lineStart();
    this.out.close();
  }

  private statements(depth: number, min: number, max: number): void {
    for (let i = this.between(min, max); i > 0; i--) this.statement(depth);
  }

  private forLoop(depth: number): void {
    this.lineStart();
    this.out.write('for ');
    this.out.open('(');
    this.scopes.push(new Map());
    const type: CType = { kind: 'num', spelling: 'int' };
    this.out.write('int ');
    const name = this.fresh(() => this.pick(LOOP_NAMES));
    const v = this.declareVariable('variable', type, name);
    this.out.write(' = 0; ');
    this.out.use(v.rec);
    this.out.write(' < ');
    this.expression({ kind: 'num' }, 1, v);
    this.out.write('; ');
    this.out.use(v.rec);
    this.out.write('++');
    this.out.close();
    this.out.write(' ');
    this.loopDepth++;
    this.block(() => this.statements(depth + 1, 1, 4));
    this.loopDepth--;
    this.scopes.pop();
    this.out.write('\n');
  }

  private whileLoop(depth: number): void {
    this.lineStart();
    this.out.write('while ');
    this.out.open('(');
    this.condition(1);
    this.out.close();
    this.out.write(' ');
    this.loopDepth++;
    this.block(() => this.statements(depth + 1, 1, 4));
    this.loopDepth--;
    this.out.write('\n');
  }

  private ifStatement(depth: number): void {
    this.lineStart();
    this.out.write('if ');
    this.out.open('(');
    this.condition(2);
    this.out.close();
    this.out.write(' ');
    this.block(() => this.statements(depth + 1, 1, 3));
    while (this.chance(0.35)) {
      if (this.chance(0.4)) {
        this.out.write(' else if ');
        this.out.open('(');
        this.condition(1);
        this.out.close();
        this.out.write(' ');
        this.block(() => this.statements(depth + 1, 1, 3));
      } else {
        this.out.write(' else ');
        this.block(() => this.statements(depth + 1, 1, 3));
        break;
      }
    }
    this.out.write('\n');
  }

  // ---- expressions ----

  private condition(budget: number): void {
    const r = this.rng.next();
    const ptrs = this.variables('ptr');
    if (r < 0.2 && ptrs.length > 0) {
      const p = this.pick(ptrs);
      if (this.chance(0.3)) this.out.write('!');
      this.out.use(p.rec);
      if (this.chance(0.6)) this.out.write(this.chance(0.5) ? ' != NULL' : ' == NULL');
    } else if (r < 0.3 && budget > 0) {
      this.condition(budget - 1);
      this.out.write(this.chance(0.6) ? ' && ' : ' || ');
      this.condition(budget - 1);
    } else if (r < 0.45) {
      this.out.open('(');
      this.expression({ kind: 'num' }, 1);
      this.out.write(' & ');
      this.numericAtom();
      this.out.close();
      this.out.write(this.chance(0.5) ? ' != 0' : ' == 0');
    } else {
      this.out.use(this.pick(this.variables('num')).rec);
      this.out.write(` ${this.pick(['<', '>', '<=', '>=', '==', '!='])} `);
      this.expression({ kind: 'num' }, Math.max(0, budget - 1));
    }
  }

  /** An expression of `type`; `avoid` is not referenced (a loop bound must not be its own counter). */
  private expression(type: CType, budget: number, avoid?: Variable): void {
    if (type.kind === 'num') return this.numericExpression(budget, avoid);
    const fns = this.functions.filter((f) => f.returns?.kind === type.kind && f.returns.struct === type.struct);
    const vars = this.variables(type.kind, type.struct);
    const r = this.rng.next();
    if (r < 0.45 && vars.length > 0) this.out.use(this.pick(vars).rec);
    else if (r < 0.65 && fns.length > 0 && budget > 0) this.call(this.pick(fns), budget - 1);
    else if (type.kind === 'str') this.out.write(`"${this.pick(COMMENT_WORDS)}"`);
    else this.out.write('NULL');
  }

  private numericExpression(budget: number, avoid?: Variable): void {
    const r = this.rng.next();
    if (budget <= 0 || r < 0.4) return this.numericAtom(avoid);
    if (r < 0.6) {
      this.numericExpression(budget - 1, avoid);
      this.out.write(` ${this.pick(['+', '-', '*', '/', '%', '<<', '>>', '&', '|'])} `);
      this.numericExpression(budget - 1, avoid);
    } else if (r < 0.75) {
      this.out.open('(');
      this.numericExpression(budget - 1, avoid);
      this.out.write(` ${this.pick(['+', '-', '*', '&', '|'])} `);
      this.numericExpression(budget - 1, avoid);
      this.out.close();
    } else if (r < 0.9) {
      const fns = this.functions.filter((f) => f.returns?.kind === 'num');
      if (fns.length > 0) this.call(this.pick(fns), budget - 1);
      else this.numericAtom(avoid);
    } else {
      const fnMacros = this.macros.filter((m) => m.functionLike);
      if (fnMacros.length === 0) return this.numericAtom(avoid);
      this.out.use(this.pick(fnMacros).rec);
      this.out.open('(');
      this.numericExpression(budget - 1, avoid);
      this.out.close();
    }
  }

  private numericAtom(avoid?: Variable): void {
    const r = this.rng.next();
    const nums = this.variables('num').filter((v) => v !== avoid);
    const plainMacros = this.macros.filter((m) => !m.functionLike);
    const withNumFields = this.variables('ptr').filter((p) => p.type.struct!.fields.some((f) => f.type.kind === 'num'));
    if (r < 0.5 && nums.length > 0) this.out.use(this.pick(nums).rec);
    else if (r < 0.65 && plainMacros.length > 0) this.out.use(this.pick(plainMacros).rec);
    else if (r < 0.8 && withNumFields.length > 0) {
      const p = this.pick(withNumFields);
      this.out.use(p.rec);
      this.out.write('->');
      this.out.use(this.pick(p.type.struct!.fields.filter((f) => f.type.kind === 'num')).rec);
    } else this.out.write(String(this.pick([0, 1, 1, 2, 4, 8, 16, 100])));
  }

  private call(fn: FunctionInfo, budget: number): void {
    this.out.use(fn.rec);
    this.out.open('(');
    fn.params.forEach((type, i) => {
      if (i > 0) this.out.write(', ');
      this.expression(type, Math.max(0, budget));
    });
    this.out.close();
  }
}

/**
 * Generated C text and its structure (bracket pairs, identifier declarations and uses). The text
 * is at least `chars` characters long and ends at a top-level boundary, so every bracket opened is
 * closed; equal seeds give identical output.
 *
 * @category Corpus and batches
 */
export function generateCCorpusWithStructure(options: GenerateCOptions): GeneratedC {
  const { seed, chars } = options;
  if (!Number.isInteger(seed)) throw new ConfigError(`generator seed must be an integer, got ${JSON.stringify(seed)}`);
  if (!Number.isInteger(chars) || chars < 1) {
    throw new ConfigError(`generated corpus size must be a positive integer of characters, got ${JSON.stringify(chars)}`);
  }
  return new CGrammar(seed).generate(chars);
}

/**
 * Plausible generated C of at least `chars` characters (see {@link generateCCorpusWithStructure}).
 *
 * @category Corpus and batches
 */
export function generateCCorpus(options: GenerateCOptions): string {
  return generateCCorpusWithStructure(options).text;
}
