import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Where file bytes live: a local directory by default (a shared volume when ingress has replicas). */
export abstract class FileStore {
  /** Stores the bytes of a file id (replacing any). */
  abstract put(id: string, bytes: Buffer | string): Promise<void>;
  /** The bytes, undefined when absent. */
  abstract get(id: string): Promise<Buffer | undefined>;
  abstract delete(id: string): Promise<void>;
}

const SAFE_ID = /^[A-Za-z0-9_-]{1,128}$/;

/** {@link FileStore} in a directory: one file per id, written to a temporary name then renamed (never half a file). */
export class LocalFileStore extends FileStore {
  private ready: Promise<unknown> | undefined;

  constructor(private readonly dir: string) {
    super();
  }

  private path(id: string): string {
    if (!SAFE_ID.test(id)) throw new Error(`invalid file id "${id}"`);
    return join(this.dir, id);
  }

  async put(id: string, bytes: Buffer | string): Promise<void> {
    this.ready ??= mkdir(this.dir, { recursive: true });
    await this.ready;
    const target = this.path(id);
    const tmp = `${target}.${process.pid}.tmp`;
    await writeFile(tmp, bytes);
    await rename(tmp, target);
  }

  async get(id: string): Promise<Buffer | undefined> {
    try {
      return await readFile(this.path(id));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  async delete(id: string): Promise<void> {
    await rm(this.path(id), { force: true });
  }
}
