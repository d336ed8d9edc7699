import { readFile } from 'node:fs/promises';
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Catalog, CatalogError } from '@yardmaster/catalog';
import { RouterConfig } from '../config.js';
import { recordCatalogReload } from '../decide/metrics.js';

/** Where the initial catalog comes from (validated before the app starts). */
export class InitialCatalog {
  constructor(readonly catalog: Catalog) {}
}

/**
 * The catalog in force, hot-reloaded: a file-system watch on the file's directory (which
 * also sees a Kubernetes ConfigMap's `..data` symlink swap) plus polling every
 * ROUTER_CATALOG_POLL_MS as a safety net. A changed file is validated; a good one is
 * applied at once, a bad one is rejected with every problem logged and counted
 * (`yardmaster.router.catalog.reloads{result="rejected"}`), and the previous catalog stays.
 */
@Injectable()
export class CatalogHolder implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(CatalogHolder.name);
  private catalog: Catalog;
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private debounce: NodeJS.Timeout | undefined;
  private lastText: string | undefined;
  private checking: Promise<void> | undefined;
  /** Reloads applied and rejected since start, and the problems of the last rejected file. */
  readonly stats = { applied: 0, rejected: 0, lastProblems: [] as readonly string[] };

  constructor(
    @Inject(InitialCatalog) initial: InitialCatalog,
    @Inject(RouterConfig) private readonly config: RouterConfig,
  ) {
    this.catalog = initial.catalog;
  }

  /** The catalog in force now. */
  get current(): Catalog {
    return this.catalog;
  }

  onApplicationBootstrap(): void {
    const path = this.config.catalogPath;
    try {
      this.watcher = watch(dirname(path), { persistent: false }, (_event, file) => {
        // A ConfigMap update renames `..data`; a plain edit names the file. Either may matter.
        if (file === null || file === basename(path) || file.startsWith('..')) this.schedule();
      });
      this.watcher.on('error', (err) => this.logger.warn(`watching ${path} failed (polling continues): ${err.message}`));
    } catch (err) {
      this.logger.warn(`cannot watch ${path} (polling only): ${err instanceof Error ? err.message : String(err)}`);
    }
    this.timer = setInterval(() => void this.check(), this.config.catalogPollMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    this.watcher?.close();
    clearInterval(this.timer);
    clearTimeout(this.debounce);
  }

  private schedule(): void {
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => void this.check(), 50);
    this.debounce.unref();
  }

  /** Re-reads the file and applies it when it changed and is valid. Resolves when done (tests). */
  check(): Promise<void> {
    this.checking ??= this.reload().finally(() => (this.checking = undefined));
    return this.checking;
  }

  private async reload(): Promise<void> {
    const path = this.config.catalogPath;
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      // Mid-swap or deleted: keep the catalog in force and try again on the next tick.
      if (this.lastText !== '') this.logger.warn(`cannot read catalog ${path}: ${err instanceof Error ? err.message : String(err)}; keeping ${this.catalog.version}`);
      this.lastText = '';
      return;
    }
    if (text === this.lastText) return;
    this.lastText = text;
    let next: Catalog;
    try {
      next = Catalog.parse(text, path);
    } catch (err) {
      const problems = err instanceof CatalogError ? err.problems : [err instanceof Error ? err.message : String(err)];
      recordCatalogReload('rejected');
      this.stats.rejected++;
      this.stats.lastProblems = problems;
      this.logger.error(`catalog ${path} rejected, keeping ${this.catalog.version} (${this.catalog.digest}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
      return;
    }
    if (next.digest === this.catalog.digest) return;
    const previous = this.catalog;
    this.catalog = next;
    recordCatalogReload('applied');
    this.stats.applied++;
    this.logger.log(`catalog reloaded: ${previous.version} (${previous.digest}) → ${next.version} (${next.digest}), ${next.models.length} models in pools ${next.pools().join(', ')}`);
  }
}
