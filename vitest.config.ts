import path from 'node:path';
import { defineConfig } from 'vitest/config';

// The Electron binary is optional; the shell's unit tests run against a recording stand-in.

export default defineConfig({
  test: {
    include: ['core/**/*.test.ts', 'electron/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    alias: { electron: path.resolve(import.meta.dirname, 'electron/testing/fake-electron.ts') },
  },
});
