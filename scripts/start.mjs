// `npm start`: the Electron window where Electron is installed; otherwise the
// same core headless, serving the console on 127.0.0.1 and opening it in
// Chromium's app mode when a display is available (the URL is always printed).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

/** The electron package exports the path of its binary; it is absent or unusable where the download failed. */
function electronBinary() {
  try {
    const binary = require('electron');
    return typeof binary === 'string' && existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

const passthrough = process.argv.slice(2);
const binary = electronBinary();
let child;
if (binary) {
  child = spawn(binary, [path.join(root, 'dist', 'electron', 'main.cjs'), ...passthrough], { stdio: 'inherit' });
} else {
  let hint =
    'Electron is not installed here (its binary could not be downloaded), so Reachback runs headless and serves the console in your browser.';
  try {
    require.resolve('electron/package.json');
    hint =
      'The electron package is present but its binary is missing; run `node node_modules/electron/install.js` where downloads are possible. Meanwhile Reachback serves the console in your browser.';
  } catch {
    // package absent: the default hint applies
  }
  console.log(hint);
  child = spawn(process.execPath, [path.join(root, 'dist', 'server.cjs'), '--open', ...passthrough], { stdio: 'inherit' });
}
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
