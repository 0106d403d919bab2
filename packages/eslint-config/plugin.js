import fs from 'node:fs';
import path from 'node:path';

/**
 * Tracelens's own lint rules: the house rules of /work/shared/STYLE.md that
 * no published plugin states the way this repository needs them.
 */

/** @type {Map<string, string>} directory -> the root of the package it belongs to */
const packageRoots = new Map();

/** The nearest directory at or above `dir` that holds a package.json. */
function packageRootOf(dir) {
  const cached = packageRoots.get(dir);
  if (cached !== undefined) return cached;
  const parent = path.dirname(dir);
  const root = fs.existsSync(path.join(dir, 'package.json')) || parent === dir ? dir : packageRootOf(parent);
  packageRoots.set(dir, root);
  return root;
}

/** Calls `check(node, specifier)` for every static or dynamic import, re-export and require with a string specifier. */
function onModuleSpecifiers(check) {
  const literal = (node, source) => {
    if (source && source.type === 'Literal' && typeof source.value === 'string') check(node, source.value);
  };
  return {
    ImportDeclaration: (node) => literal(node, node.source),
    ExportNamedDeclaration: (node) => literal(node, node.source),
    ExportAllDeclaration: (node) => literal(node, node.source),
    ImportExpression: (node) => literal(node, node.source),
    CallExpression: (node) => {
      if (node.callee.type === 'Identifier' && node.callee.name === 'require') literal(node, node.arguments[0]);
    },
  };
}

/** `process.env` only in a package's env module (configured off there); `process.env.X` for the X Next.js inlines at build time. */
const noProcessEnv = {
  meta: {
    type: 'problem',
    docs: { description: 'Read the environment only in the env module (env.ts), which parses it once with zod.' },
    schema: [{ type: 'object', properties: { inlined: { type: 'array', items: { type: 'string' } } }, additionalProperties: false }],
    messages: {
      member: 'process.env is read only in this package\'s env module (env.ts), parsed once with zod; import what you need from there.',
      import: '`env` of {{module}} is read only in this package\'s env module (env.ts); import what you need from there.',
    },
  },
  create(context) {
    const inlined = new Set(context.options[0]?.inlined ?? []);
    const isProcess = (node) => node.type === 'Identifier' && node.name === 'process';
    return {
      MemberExpression(node) {
        const envKey = node.computed ? node.property.type === 'Literal' && node.property.value : node.property.name;
        if (!isProcess(node.object) || envKey !== 'env') return;
        const parent = node.parent;
        const name = parent?.type === 'MemberExpression' && parent.object === node && !parent.computed ? parent.property.name : undefined;
        if (name !== undefined && inlined.has(name)) return;
        context.report({ node, messageId: 'member' });
      },
      VariableDeclarator(node) {
        // const { env } = process
        if (node.init && isProcess(node.init) && node.id.type === 'ObjectPattern' && node.id.properties.some((p) => p.type === 'Property' && p.key.name === 'env')) {
          context.report({ node, messageId: 'member' });
        }
      },
      ImportDeclaration(node) {
        const module = node.source.value;
        if (module !== 'process' && module !== 'node:process') return;
        if (node.specifiers.some((s) => s.type === 'ImportSpecifier' && (s.imported.name ?? s.imported.value) === 'env')) {
          context.report({ node, messageId: 'import', data: { module } });
        }
      },
    };
  },
};

/** A relative import must stay inside the package it is written in. */
const noCrossPackageImport = {
  meta: {
    type: 'problem',
    docs: { description: 'No relative imports across package boundaries: import another package by its @tracelens/<name> entry points.' },
    schema: [],
    messages: {
      cross: '"{{specifier}}" leaves this package (into {{target}}); depend on the package and import one of its entry points instead.',
    },
  },
  create(context) {
    const file = context.filename;
    const root = packageRootOf(path.dirname(file));
    return onModuleSpecifiers((node, specifier) => {
      if (!specifier.startsWith('.')) return;
      const target = path.resolve(path.dirname(file), specifier);
      const relative = path.relative(root, target);
      if (relative.startsWith('..') || path.isAbsolute(relative)) {
        context.report({ node, messageId: 'cross', data: { specifier, target: path.relative(path.dirname(root), packageRootOf(path.dirname(target))) || target } });
      }
    });
  },
};

/** `@tracelens/x/src/...` or `@tracelens/x/dist/...`: another package's internals, past its `exports`. */
const noPackageInternals = {
  meta: {
    type: 'problem',
    docs: { description: "No imports of another package's src/ or dist/: use the entry points its package.json `exports` lists." },
    schema: [],
    messages: { internals: '"{{specifier}}" reaches into another package\'s {{folder}}/; import one of the entry points its package.json `exports` lists.' },
  },
  create(context) {
    return onModuleSpecifiers((node, specifier) => {
      const match = /^@tracelens\/[^/]+\/(src|dist)(\/|$)/.exec(specifier);
      if (match) context.report({ node, messageId: 'internals', data: { specifier, folder: match[1] } });
    });
  },
};

/**
 * Browser and shared code may not import the server's modules: `server-only`
 * fails such an import at build time, this says so at lint time, and also
 * covers modules (env.ts) that cannot import `server-only` themselves.
 */
const noServerImportInClient = {
  meta: {
    type: 'problem',
    docs: { description: "Browser code, shared code and 'use client' modules may not import server modules." },
    schema: [
      {
        type: 'object',
        properties: {
          clientFolders: { type: 'array', items: { type: 'string' } },
          serverModules: { type: 'array', items: { type: 'string' } },
        },
        additionalProperties: false,
      },
    ],
    messages: { server: '"{{specifier}}" is server code; {{why}} may not import it (pass what it needs in props, or move the code to lib/shared).' },
  },
  create(context) {
    const { clientFolders = [], serverModules = [] } = context.options[0] ?? {};
    const root = packageRootOf(path.dirname(context.filename));
    const relative = path.relative(root, context.filename).split(path.sep).join('/');
    const folder = clientFolders.find((f) => relative.startsWith(`${f}/`));
    const source = context.sourceCode;
    const usesClient = source.ast.body.some((s) => s.type === 'ExpressionStatement' && s.directive === 'use client');
    if (folder === undefined && !usesClient) return {};
    const why = folder !== undefined ? `code in ${folder}/` : "a 'use client' module";
    const isServer = (specifier) => {
      const aliased = specifier.startsWith('.') ? `@/${path.relative(root, path.resolve(path.dirname(context.filename), specifier)).split(path.sep).join('/')}` : specifier;
      return serverModules.some((m) => aliased === m || aliased.startsWith(`${m}/`));
    };
    return onModuleSpecifiers((node, specifier) => {
      if (isServer(specifier)) context.report({ node, messageId: 'server', data: { specifier, why } });
    });
  },
};

export default {
  meta: { name: '@tracelens/eslint-config/plugin' },
  rules: {
    'no-process-env': noProcessEnv,
    'no-cross-package-import': noCrossPackageImport,
    'no-package-internals': noPackageInternals,
    'no-server-import-in-client': noServerImportInClient,
  },
};
