import type { FaultBook } from './faults.js';
import type { SimStats } from './stats.js';

/** provider-sim's runtime state: the fault profiles in force and the request counts. */
export class SimState {
  constructor(
    readonly faults: FaultBook,
    readonly stats: SimStats,
  ) {}
}
