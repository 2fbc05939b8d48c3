import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * Every ```ts block inside a TSDoc `@example` section in src/**\/*.ts is type-checked here as a
 * module of its own, the way a user's file would be: strict, the project's compiler settings,
 * `import ... from 'rnnbow'` resolved to src/index.ts. All examples go into one Program, so the
 * library is checked once, not once per example. A failure names the example's file:line in src.
 */
const REPO = path.resolve('.');
const INDEX = path.join(REPO, 'src', 'index.ts');

/** One example: where its code starts in src, and the code with the comment's `* ` stripped. */
interface TsdocExample {
  /** Repository-relative source file. */
  file: string;
  /** 1-based line in `file` of the example's first code line (the line after the fence). */
  line: number;
  code: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

/**
 * The ```ts fences of the `@example` sections of every `/** ... *\/` comment of one file. A section
 * runs from its `@example` tag to the next block tag outside a fence, or the end of the comment.
 */
function tsdocExamples(file: string, text: string): TsdocExample[] {
  const lines = text.split('\n');
  const examples: TsdocExample[] = [];
  let inComment = false;
  let inExample = false;
  let fence: { lang: string; start: number; body: string[] } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    if (!inComment) {
      if (/^\s*\/\*\*/.test(raw) && !raw.includes('*/')) {
        inComment = true;
        inExample = false;
      }
      continue;
    }
    if (/^\s*\*\//.test(raw)) {
      inComment = false;
      if (fence) throw new Error(`${file}:${fence.start}: unclosed code fence in a TSDoc comment`);
      continue;
    }
    const content = raw.replace(/^\s*\* ?/, '');
    if (fence) {
      if (content.trim() === '```') {
        if (fence.lang === 'ts' && inExample) examples.push({ file, line: fence.start + 1, code: fence.body.join('\n') });
        fence = undefined;
      } else fence.body.push(content);
      continue;
    }
    const open = /^\s*```(\w*)/.exec(content);
    if (open) fence = { lang: open[1], start: i + 1, body: [] };
    else if (/^@example\b/.test(content)) inExample = true;
    else if (/^@\w+/.test(content)) inExample = false;
  }
  return examples;
}

const examples = sourceFiles(path.join(REPO, 'src'))
  .sort()
  .flatMap((file) => tsdocExamples(path.relative(REPO, file), readFileSync(file, 'utf8')));

/** Virtual file names beside this test, so Node's module rules (package.json "type") apply. */
const virtual = new Map(examples.map((ex, i) => [path.join(REPO, 'test', 'docs', `tsdoc-example-${i}.ts`), ex]));

function checkExamples(): { diagnostics: readonly ts.Diagnostic[]; program: ts.Program; options: ts.CompilerOptions; host: ts.CompilerHost } {
  const configFile = path.join(REPO, 'tsconfig.json');
  const parsed = ts.parseJsonConfigFileContent(ts.readConfigFile(configFile, ts.sys.readFile).config, ts.sys, REPO);
  const options: ts.CompilerOptions = {
    ...parsed.options,
    strict: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    noEmit: true,
    declaration: false,
    sourceMap: false,
    // A user's `import ... from 'rnnbow'` means this checkout's source, not a stale build.
    baseUrl: REPO,
    paths: { rnnbow: [path.relative(REPO, INDEX)] },
  };
  const host = ts.createCompilerHost(options);
  const { fileExists, readFile, getSourceFile } = host;
  host.fileExists = (name) => virtual.has(path.resolve(name)) || fileExists.call(host, name);
  host.readFile = (name) => virtual.get(path.resolve(name))?.code ?? readFile.call(host, name);
  host.getSourceFile = (name, languageVersion, onError, shouldCreate) => {
    const ex = virtual.get(path.resolve(name));
    return ex ? ts.createSourceFile(name, ex.code, languageVersion, true) : getSourceFile.call(host, name, languageVersion, onError, shouldCreate);
  };
  const program = ts.createProgram({ rootNames: [...virtual.keys()], options, host });
  const diagnostics = [...virtual.keys()].flatMap((name) => {
    const source = program.getSourceFile(name)!;
    return [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
  });
  return { diagnostics, program, options, host };
}

/** `src/x.ts:LINE:COL message`, with the position mapped back into the comment. */
function where(d: ts.Diagnostic): string {
  const message = ts.flattenDiagnosticMessageText(d.messageText, '\n  ');
  const ex = d.file ? virtual.get(path.resolve(d.file.fileName)) : undefined;
  if (!ex || !d.file || d.start === undefined) return message;
  const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
  const column = character + (readFileSync(path.join(REPO, ex.file), 'utf8').split('\n')[ex.line - 1 + line].indexOf('*') + 3);
  return `${ex.file}:${ex.line + line}:${column} ${message}`;
}

describe('TSDoc @example blocks in src compile', () => {
  it('finds the examples', () => {
    // Every file that documents a part with an example; a collector that finds none proves nothing.
    expect(examples.length).toBeGreaterThanOrEqual(15);
    expect(new Set(examples.map((e) => e.file)).size).toBeGreaterThanOrEqual(10);
  });

  it('the collector reads fences inside @example sections only, with their source lines', () => {
    const text = ['/**', ' * Intro.', ' * ```ts', ' * notAnExample();', ' * ```', ' *', ' * @example Title', ' * ```ts', ' * const a = 1;', ' *   a;', ' * ```', ' * ```js', ' * js();', ' * ```', ' * @returns x', ' * ```ts', ' * after();', ' * ```', ' */'].join('\n');
    expect(tsdocExamples('f.ts', text)).toEqual([{ file: 'f.ts', line: 9, code: 'const a = 1;\n  a;' }]);
  });

  it('every example type-checks (strict, rnnbow = src/index.ts)', () => {
    const { diagnostics, program, options, host } = checkExamples();
    // The examples must see the source, not a stale dist/: 'rnnbow' resolves through `paths`.
    const withImport = [...virtual.keys()].find((name) => virtual.get(name)!.code.includes("from 'rnnbow'"));
    expect(withImport).toBeDefined();
    const resolved = ts.resolveModuleName('rnnbow', withImport!, options, host, undefined, undefined, ts.ModuleKind.ESNext).resolvedModule?.resolvedFileName;
    expect(resolved && path.resolve(resolved)).toBe(INDEX);
    expect(program.getSourceFiles().map((f) => path.relative(REPO, f.fileName)).filter((f) => f.startsWith('dist'))).toEqual([]);
    expect(diagnostics.map(where)).toEqual([]);
  });
});
