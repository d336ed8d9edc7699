/**
 * Writes model/eld-ngrams.json: the installed eld package's database packed by
 * {@link packNgrams} (`npm run pack:eld -w libs/classifier`; run it after upgrading eld).
 */
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { ELD_DATABASE, eldPackage, packNgrams, packedNgramsPath, type EldDatabase } from '../eld-ngrams';

/** The installed eld package's database, evaluated from its own module. */
export function installedEldDatabase(): { db: EldDatabase; version: string } {
  const { dir, version } = eldPackage();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { ngramsData } = require(path.join(dir, 'src', 'ngrams', `${ELD_DATABASE}.js`)) as { ngramsData: EldDatabase };
  return { db: ngramsData, version };
}

if (require.main === module) {
  const { db, version } = installedEldDatabase();
  const packed = packNgrams(db, version);
  writeFileSync(packedNgramsPath(), `${JSON.stringify(packed)}\n`);
  console.log(`wrote ${packedNgramsPath()}: eld ${version} ${ELD_DATABASE}, ${Object.keys(db.ngrams).length} n-grams`);
}
