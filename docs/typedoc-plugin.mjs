// TypeDoc plugin of this repository's API reference:
// - names each entry point's module after the package specifier users import (`@spectrans/core`,
//   `@spectrans/core/backend`), read from the nearest package.json's `publishConfig.exports`,
//   instead of TypeDoc's path-derived name (`packages/core/src`);
// - groups a module's exports by the source folder they come from (kernels apart from tensors,
//   the registry, random numbers, ...), unless an export carries its own `@group` tag.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { Comment, CommentTag, Converter, ReflectionKind } from 'typedoc';

/** Source path (relative to a package's src/) → group title; the first matching prefix wins. */
const GROUPS = [
  ['kernels/', 'Kernels and feature maps'],
  ['attention/', 'Attention'],
  ['ops/', 'Ops'],
  ['autodiff/', 'Gradients'],
  ['random/', 'Random numbers'],
  ['linalg/', 'Host linear algebra'],
  ['backend/', 'Backends and registry'],
  ['tensor.ts', 'Tensors'],
  ['scope.ts', 'Tensors'],
  ['shape.ts', 'Tensors'],
  ['dtype.ts', 'Tensors'],
  ['errors.ts', 'Errors, limits and validation'],
  ['limits.ts', 'Errors, limits and validation'],
  ['numeric-range.ts', 'Errors, limits and validation'],
  ['options.ts', 'Errors, limits and validation'],
  ['validate.ts', 'Errors, limits and validation'],
];

/** The package.json above `file` and its directory. */
function owningPackage(file) {
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) return { dir, pkg: JSON.parse(readFileSync(manifest, 'utf8')) };
  }
  return undefined;
}

/** The import specifier whose published `exports` entry is built from `file` (src/x.ts → dist/x.js). */
function specifierOf(file) {
  const owner = owningPackage(file);
  if (!owner) return undefined;
  const built =
    './' +
    relative(owner.dir, file)
      .split(sep)
      .join('/')
      .replace(/^src\//, 'dist/')
      .replace(/\.ts$/, '.js');
  const exportsMap = owner.pkg.publishConfig?.exports ?? owner.pkg.exports ?? {};
  for (const [subpath, entry] of Object.entries(exportsMap)) {
    const targets = typeof entry === 'string' ? [entry] : Object.values(entry ?? {});
    if (targets.includes(built)) return subpath === '.' ? owner.pkg.name : `${owner.pkg.name}${subpath.slice(1)}`;
  }
  return undefined;
}

function sourceFile(context, reflection) {
  const decl = context.getSymbolFromReflection(reflection)?.declarations?.[0];
  return decl ? resolve(decl.getSourceFile().fileName) : undefined;
}

function groupOf(file) {
  const owner = owningPackage(file);
  if (!owner || owner.pkg.name !== '@spectrans/core') return undefined;
  const rel = relative(join(owner.dir, 'src'), file).split(sep).join('/');
  return GROUPS.find(([prefix]) => rel.startsWith(prefix))?.[1];
}

function hasGroupTag(reflection) {
  const comments = [reflection.comment, ...(reflection.signatures ?? []).map((s) => s.comment)];
  return comments.some((c) => c?.blockTags.some((t) => t.tag === '@group'));
}

/** @param {import('typedoc').Application} app */
export function load(app) {
  const files = new Map();
  app.converter.on(Converter.EVENT_CREATE_DECLARATION, (context, reflection) => {
    const file = sourceFile(context, reflection);
    if (file) files.set(reflection, file);
  });
  // Before TypeDoc's GroupPlugin, which runs at RESOLVE_END with priority -100.
  app.converter.on(Converter.EVENT_RESOLVE_END, (context) => {
    for (const mod of context.project.getReflectionsByKind(ReflectionKind.Module)) {
      const file = files.get(mod);
      const name = file && specifierOf(file);
      if (name) mod.name = name;
      for (const child of mod.children ?? []) {
        const childFile = files.get(child);
        const group = childFile && groupOf(childFile);
        if (!group || hasGroupTag(child)) continue;
        const tag = new CommentTag('@group', [{ kind: 'text', text: group }]);
        const comment = child.comment ?? child.signatures?.find((s) => s.comment)?.comment;
        if (comment) comment.blockTags.push(tag);
        else child.comment = new Comment([], [tag]);
      }
    }
  });
}
