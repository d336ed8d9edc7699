import * as path from 'node:path';

/** `deploy/` — this file compiles to `deploy/dist/paths.js`, so it is one level up. */
export const deployDir: string = path.resolve(__dirname, '..');

/** The repository root (the parent of `deploy/`). */
export const repoRoot: string = path.resolve(deployDir, '..');

/** The Maven POM that names the broker's classpath. */
export const kafkaPomPath: string = path.join(deployDir, 'kafka', 'pom.xml');

/** The log4j2 configuration handed to the broker JVM. */
export const kafkaLog4jConfigPath: string = path.join(deployDir, 'kafka', 'log4j2.xml');

/**
 * The git-ignored cache folder for downloaded jars: `$YARDMASTER_CACHE_DIR` when set
 * (relative values are taken from the current directory), else `<repo>/.cache`.
 */
export function resolveCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env['YARDMASTER_CACHE_DIR']?.trim();
  return fromEnv ? path.resolve(fromEnv) : path.join(repoRoot, '.cache');
}
