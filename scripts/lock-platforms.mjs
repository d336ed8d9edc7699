// The npm registry reachable from our build machines lacks buf's macOS, Windows and
// armv7 binaries, so `npm install` there leaves them out of package-lock.json and
// `npm ci` then refuses the lockfile as out of sync. This adds their entries back
// (optional, with os/cpu, as npm writes them against the public registry) so `npm ci`
// works here and elsewhere. Run it after `npm install` changes the lockfile.
import { readFileSync, writeFileSync } from 'node:fs';

const file = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(file, 'utf8'));
const platforms = {
  'darwin-arm64': { os: 'darwin', cpu: 'arm64' },
  'darwin-x64': { os: 'darwin', cpu: 'x64' },
  'linux-aarch64': { os: 'linux', cpu: 'arm64' },
  'linux-armv7': { os: 'linux', cpu: 'arm' },
  'linux-x64': { os: 'linux', cpu: 'x64' },
  'win32-arm64': { os: 'win32', cpu: 'arm64' },
  'win32-x64': { os: 'win32', cpu: 'x64' },
};
const buf = lock.packages['node_modules/@bufbuild/buf'];
let added = 0;
for (const [name, version] of Object.entries(buf?.optionalDependencies ?? {})) {
  const key = `node_modules/${name}`;
  if (lock.packages[key]) continue;
  const platform = platforms[name.replace('@bufbuild/buf-', '')];
  if (!platform) throw new Error(`unknown buf platform package ${name}`);
  lock.packages[key] = { version, cpu: [platform.cpu], dev: true, license: 'Apache-2.0', optional: true, os: [platform.os], engines: { node: '>=12' } };
  added++;
}
lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`lock-platforms: added ${added} buf platform entries`);
