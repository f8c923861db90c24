/** Small durable-file helpers shared by the journal, snapshots and the lock. */
import { promises as fs } from 'node:fs';
import { crc32 } from 'node:zlib';

export { crc32 };

/** fsync a directory so that a create, rename or unlink in it survives a crash. */
export async function fsyncDir(dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** An error about a file in the data dir that a person must look at; it names the file. */
export class StoreFileError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${message} (${file})`);
    this.name = 'StoreFileError';
  }
}
