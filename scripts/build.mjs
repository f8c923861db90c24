// Builds everything the app runs from dist/: the console (Vite), the headless
// server, the Electron main and preload, and the benchmark (esbuild). Skips
// work when no source changed since the last build; `--force` rebuilds.
import { build as esbuild } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const stampFile = path.join(dist, '.build-stamp');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const require = createRequire(import.meta.url);

function newestMtime(target) {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(target)) {
    if (entry === 'node_modules') continue;
    newest = Math.max(newest, newestMtime(path.join(target, entry)));
  }
  return newest;
}

const sources = ['core', 'renderer', 'electron', 'bench', 'sipnet', 'assets', 'package.json', 'vite.config.ts', 'scripts/build.mjs'].map(
  (p) => path.join(root, p),
);
const newestSource = Math.max(...sources.map(newestMtime));
const stamp = existsSync(stampFile) ? Number(readFileSync(stampFile, 'utf8')) : 0;
if (!process.argv.includes('--force') && stamp >= newestSource) {
  process.exit(0);
}

const started = Date.now();
mkdirSync(dist, { recursive: true });

const nodeBundle = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  logLevel: 'warning',
  define: { __REACHBACK_VERSION__: JSON.stringify(pkg.version) },
};

await Promise.all([
  esbuild({
    ...nodeBundle,
    // The snapshot worker (core/store/compaction.ts) is loaded from beside the bundle that runs the store.
    entryPoints: { server: 'core/server/main.ts', bench: 'bench/main.ts', 'store-compactor': 'core/store/compaction-worker.ts' },
    outdir: dist,
    outExtension: { '.js': '.cjs' },
  }),
  esbuild({
    ...nodeBundle,
    entryPoints: { main: 'electron/main.ts', preload: 'electron/preload.ts', 'store-compactor': 'core/store/compaction-worker.ts' },
    outdir: path.join(dist, 'electron'),
    outExtension: { '.js': '.cjs' },
    external: ['electron'],
  }),
]);

// sql.js loads its wasm from beside the bundle that contains it.
const wasm = require.resolve('sql.js/dist/sql-wasm.wasm');
copyFileSync(wasm, path.join(dist, 'sql-wasm.wasm'));
mkdirSync(path.join(dist, 'electron'), { recursive: true });
copyFileSync(wasm, path.join(dist, 'electron', 'sql-wasm.wasm'));

const { build: viteBuild } = await import('vite');
await viteBuild({ configFile: path.join(root, 'vite.config.ts'), logLevel: 'warn' });

writeFileSync(stampFile, String(newestSource));
console.log(`Built Reachback ${pkg.version} into dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s`);
