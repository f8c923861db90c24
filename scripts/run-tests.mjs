// `npm test`: every suite in turn: type checks, lint, unit tests (vitest),
// then the end-to-end tests in Chromium against a built app. Ends with one
// line `N passed, N failed` summed over all of them; exits non-zero on any failure.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const results = path.join(root, 'test-results');
mkdirSync(results, { recursive: true });
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const suites = [];

function run(command, args) {
  const started = Date.now();
  const { status } = spawnSync(command, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, FORCE_COLOR: process.env.CI ? '0' : '1' },
  });
  return { ok: status === 0, seconds: (Date.now() - started) / 1000 };
}

/** A check that passes or fails as a whole (type check, lint, build). */
function check(name, command, args) {
  console.log(`\n=== ${name} ===`);
  const { ok, seconds } = run(command, args);
  suites.push({ name, passed: ok ? 1 : 0, failed: ok ? 0 : 1, seconds });
  return ok;
}

/** A vitest suite, counted test by test from its JSON report. */
function vitestSuite(name, config) {
  console.log(`\n=== ${name} ===`);
  const report = path.join(results, `${name}.json`);
  rmSync(report, { force: true });
  const { seconds } = run(bin('vitest'), [
    'run',
    '--config',
    config,
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${report}`,
  ]);
  if (!existsSync(report)) {
    suites.push({ name, passed: 0, failed: 1, seconds, note: 'vitest produced no report' });
    return;
  }
  const json = JSON.parse(readFileSync(report, 'utf8'));
  // A file that fails to load has no test results of its own; count it as one failure.
  const brokenFiles = json.testResults.filter((f) => f.status === 'failed' && f.assertionResults.length === 0).length;
  suites.push({
    name,
    passed: json.numPassedTests,
    failed: json.numFailedTests + brokenFiles,
    skipped: json.numPendingTests + json.numTodoTests,
    seconds,
  });
}

for (const project of ['tsconfig.json', 'renderer/tsconfig.json', 'e2e/tsconfig.json']) {
  check(`typecheck ${path.dirname(project) === '.' ? 'core' : path.dirname(project)}`, bin('tsc'), ['-p', project, '--noEmit']);
}
check('lint', bin('eslint'), ['.']);
check('format', bin('prettier'), ['--check', '--log-level=warn', '.']);
vitestSuite('unit', 'vitest.config.ts');
if (check('build', process.execPath, ['scripts/build.mjs'])) vitestSuite('e2e', 'e2e/vitest.config.ts');
else suites.push({ name: 'e2e', passed: 0, failed: 1, seconds: 0, note: 'not run: the build failed' });

console.log('\n=== summary ===');
for (const s of suites) {
  const extra = [s.skipped ? `${s.skipped} skipped` : '', s.note ?? ''].filter(Boolean).join('; ');
  console.log(
    `${s.name.padEnd(20)} ${String(s.passed).padStart(4)} passed ${String(s.failed).padStart(4)} failed  ${s.seconds.toFixed(1).padStart(6)} s${extra ? `  (${extra})` : ''}`,
  );
}
const passed = suites.reduce((n, s) => n + s.passed, 0);
const failed = suites.reduce((n, s) => n + s.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
