/** `npm run bench`: runs every benchmark and writes its section of docs/benchmarks.md. */
import path from 'node:path';
import { machineLine, writeSection } from './report';
import { billingBenchmarks } from './billing';
import { deskBenchmarks } from './desk';
import { engineBenchmarks, ingestLoadChild } from './engine';
import { networkBenchmarks, smscChild } from './network';
import { measureOpenChild, storeBenchmarks } from './store';
import { tuneV8ForCore } from '../core/server/v8-tuning';

async function main() {
  // As the app's core runs (core/server/app.ts).
  tuneV8ForCore();
  const childOpen = process.argv.indexOf('--child-open');
  if (childOpen >= 0) return measureOpenChild(process.argv[childOpen + 1]!);
  const childIngest = process.argv.indexOf('--child-ingest');
  if (childIngest >= 0) {
    const [url, clients, seconds, subscribers, rate, warmup] = process.argv.slice(childIngest + 1);
    return ingestLoadChild(url!, Number(clients), Number(seconds), Number(subscribers), Number(rate ?? 0), Number(warmup ?? 0));
  }
  if (process.argv.includes('--child-smsc')) return smscChild();
  const docs = path.resolve(__dirname, '..', 'docs', 'benchmarks.md');
  const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const sections: [string, () => Promise<string>][] = [
    ['store', storeBenchmarks],
    ['engine', engineBenchmarks],
    ['network', networkBenchmarks],
    ['billing', billingBenchmarks],
    ['desk', deskBenchmarks],
  ];
  for (const [id, run] of sections) {
    if (only.length && !only.includes(id)) continue;
    const markdown = await run();
    writeSection(docs, id, `${markdown}\n_Measured ${new Date().toISOString().slice(0, 10)} on ${machineLine()}._`);
  }
}

main().catch((error: Error) => {
  console.error(error.stack ?? error.message);
  process.exit(1);
});
