// The npm registry reachable from our build machines lacks some platform-specific
// binary packages (buf's and unrs-resolver's macOS, Windows, Android… builds). `npm
// install` there leaves them out of package-lock.json, and `npm ci` then refuses the
// lockfile as out of sync. This adds their entries back (optional, with the os/cpu/libc
// that their names encode, as npm writes them against the public registry) so `npm ci`
// works here and elsewhere. Run it after `npm install` changes the lockfile.
import { readFileSync, writeFileSync } from 'node:fs';

const file = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(file, 'utf8'));
const OS = ['darwin', 'linux', 'win32', 'android', 'freebsd', 'openharmony', 'netbsd', 'openbsd', 'sunos', 'aix'];
const CPU = { x64: 'x64', arm64: 'arm64', aarch64: 'arm64', arm: 'arm', armv7: 'arm', ia32: 'ia32', loong64: 'loong64', ppc64: 'ppc64', riscv64: 'riscv64', s390x: 's390x', wasm32: 'wasm32' };

function platformOf(name) {
  const parts = name.split('/').pop().split('-');
  const os = parts.find((p) => OS.includes(p));
  const cpu = parts.map((p) => CPU[p]).find(Boolean);
  const libc = parts.some((p) => p.startsWith('musl')) ? 'musl' : parts.some((p) => p.startsWith('gnu')) ? 'glibc' : undefined;
  return os && cpu ? { os, cpu, libc } : undefined;
}

let added = 0;
for (const [key, entry] of Object.entries(lock.packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const where = `node_modules/${name}`;
    const nested = `${key}/node_modules/${name}`;
    if (lock.packages[where] || lock.packages[nested]) continue;
    const platform = platformOf(name);
    if (!platform) continue; // not a platform binary: leave it to npm
    lock.packages[where] = {
      version: version.replace(/^[\^~=]/, ''),
      cpu: [platform.cpu],
      ...(entry.dev ? { dev: true } : {}),
      ...(platform.libc ? { libc: [platform.libc] } : {}),
      optional: true,
      os: [platform.os],
    };
    added++;
  }
}
lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`lock-platforms: added ${added} platform package entries`);
