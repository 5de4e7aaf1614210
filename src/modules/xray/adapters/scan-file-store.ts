import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Where scan files live. A folder by default; an object store can take its place behind the same interface. */
export interface ScanStore {
  put(key: string, content: Buffer): Promise<void>;
  get(key: string): Promise<Buffer>;
}

/** Scans in DATA_DIR/scans, named by content hash: the same file uploaded twice is stored once. */
export class FolderScanStore implements ScanStore {
  constructor(private readonly folder: string) {}

  async put(key: string, content: Buffer): Promise<void> {
    await mkdir(this.folder, { recursive: true });
    const target = join(this.folder, key);
    // Write then rename, so a crash never leaves a half-written scan under its final name.
    const temporary = `${target}.${process.pid}.tmp`;
    await writeFile(temporary, content);
    await rename(temporary, target);
  }

  get(key: string): Promise<Buffer> {
    return readFile(join(this.folder, key));
  }
}
