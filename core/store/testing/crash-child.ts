/**
 * Child process for the crash test: commits in a loop with many concurrent
 * writers and prints `ack <id>` for each commit the store acknowledged, plus
 * `snap <phase>` around snapshots, so the parent can aim SIGKILLs.
 */
import { Store } from '../store';
import { ledgerMigrations, type LedgerSchema } from './ledger';

const dataDir = process.env.CRASH_DATA_DIR!;
const firstId = Number(process.env.CRASH_FIRST_ID);
const writers = Number(process.env.CRASH_WRITERS ?? 20);
const padding = 'x'.repeat(Number(process.env.CRASH_PAYLOAD ?? 512));

async function main() {
  const store = await Store.open<LedgerSchema>({
    dataDir,
    migrations: ledgerMigrations,
    snapshotAfterBytes: Number(process.env.CRASH_SNAPSHOT_BYTES ?? 256 * 1024),
    onSnapshotPhase: (phase) => process.stdout.write(`snap ${phase}\n`),
  });
  process.stdout.write('ready\n');
  let next = firstId;
  const writer = async () => {
    for (;;) {
      const id = next++;
      await store.write(async (trx) => {
        await trx
          .insertInto('entries')
          .values({ id, payload: `${id}:${padding}` })
          .execute();
        await trx
          .insertInto('mirrors')
          .values({ entry_id: id, payload: `${id}` })
          .execute();
      });
      process.stdout.write(`ack ${id}\n`);
    }
  };
  await Promise.all(Array.from({ length: writers }, writer));
}

main().catch((error: Error) => {
  process.stderr.write(`crash-child failed: ${error.stack}\n`);
  process.exit(1);
});
