import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Nest's dependency injection reads constructor parameter types from
  // legacy-decorator metadata (as tsc emits with emitDecoratorMetadata).
  // Vite 8 transforms TypeScript with oxc, which emits it only when asked.
  oxc: {
    decorator: { legacy: true, emitDecoratorMetadata: true },
  },
  test: {
    include: ['src/**/*.spec.ts', 'test/**/*.spec.ts'],
  },
});
