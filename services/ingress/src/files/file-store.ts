import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

/** A file being written piece by piece: nothing is visible under its id until {@link commit}. */
export interface FileWriter {
  /** Appends text (waits while the disk is behind, so memory stays bounded). */
  write(text: string): Promise<void>;
  /** Bytes written so far. */
  readonly bytes: number;
  /** Makes the file visible under its id, replacing any. */
  commit(): Promise<void>;
  /** Drops what was written. */
  abort(): Promise<void>;
}

/** Where file bytes live: a local directory by default (a shared volume when ingress has replicas). */
export abstract class FileStore {
  /** Stores the bytes of a file id (replacing any). */
  abstract put(id: string, bytes: Buffer | string): Promise<void>;
  /** Starts writing a file id piece by piece (batch output files, which can be hundreds of MB). */
  abstract writer(id: string): Promise<FileWriter>;
  /** The bytes, undefined when absent. */
  abstract get(id: string): Promise<Buffer | undefined>;
  /** The bytes as a stream with their length, undefined when absent (downloads, without holding the file in memory). */
  abstract open(id: string): Promise<{ stream: Readable; bytes: number } | undefined>;
  abstract delete(id: string): Promise<void>;
}

const SAFE_ID = /^[A-Za-z0-9_-]{1,128}$/;

const missing = (err: unknown) => (err as NodeJS.ErrnoException).code === 'ENOENT';

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

  private async temporary(id: string): Promise<{ target: string; tmp: string }> {
    this.ready ??= mkdir(this.dir, { recursive: true });
    await this.ready;
    const target = this.path(id);
    return { target, tmp: `${target}.${process.pid}.tmp` };
  }

  async put(id: string, bytes: Buffer | string): Promise<void> {
    const { target, tmp } = await this.temporary(id);
    await writeFile(tmp, bytes);
    await rename(tmp, target);
  }

  async writer(id: string): Promise<FileWriter> {
    const { target, tmp } = await this.temporary(id);
    const out: WriteStream = createWriteStream(tmp);
    await once(out, 'open');
    let bytes = 0;
    let failure: Error | undefined;
    out.on('error', (err) => (failure ??= err));
    const end = async () => {
      if (out.writableFinished || out.destroyed) return;
      out.end();
      await once(out, 'finish');
    };
    return {
      get bytes() {
        return bytes;
      },
      async write(text: string) {
        if (failure) throw failure;
        bytes += Buffer.byteLength(text);
        if (!out.write(text)) await once(out, 'drain');
      },
      async commit() {
        await end();
        if (failure) throw failure;
        await rename(tmp, target);
      },
      async abort() {
        out.destroy();
        await rm(tmp, { force: true });
      },
    };
  }

  async get(id: string): Promise<Buffer | undefined> {
    try {
      return await readFile(this.path(id));
    } catch (err) {
      if (missing(err)) return undefined;
      throw err;
    }
  }

  async open(id: string): Promise<{ stream: Readable; bytes: number } | undefined> {
    const path = this.path(id);
    try {
      const { size } = await stat(path);
      return { stream: createReadStream(path), bytes: size };
    } catch (err) {
      if (missing(err)) return undefined;
      throw err;
    }
  }

  async delete(id: string): Promise<void> {
    await rm(this.path(id), { force: true });
  }
}
