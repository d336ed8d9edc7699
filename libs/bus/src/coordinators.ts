/**
 * Which partition of Kafka's offsets topic (`__consumer_offsets`) holds a consumer group,
 * and a set of group ids that lands on every partition, so a caller can wait until the
 * broker's group coordinators answer for all of them (see `Bus.awaitGroupCoordinators`).
 */

/** Java's `String.hashCode()` (31-based over UTF-16 code units, 32-bit wrap-around), which Kafka hashes group ids with. */
export function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/** The offsets-topic partition of a group: Kafka's `Utils.abs(groupId.hashCode()) % partitions`. */
export function offsetsPartitionOf(groupId: string, partitions: number): number {
  const h = javaStringHash(groupId);
  return (h === -2147483648 ? 0 : Math.abs(h)) % partitions;
}

/**
 * Group ids `${base}-0`, `${base}-1`, … until every one of `partitions` offsets-topic
 * partitions holds one of them (the first id found for each partition, in partition order).
 * @throws Error if `partitions` is not a positive integer, or after 100 tries per partition
 *   without covering them all.
 */
export function groupsCoveringPartitions(base: string, partitions: number): string[] {
  if (!Number.isInteger(partitions) || partitions <= 0) throw new Error(`partitions must be a positive integer, got ${partitions}`);
  const byPartition = new Array<string | undefined>(partitions);
  let found = 0;
  for (let i = 0; found < partitions; i++) {
    if (i >= partitions * 100) throw new Error(`no group ids ${base}-N cover all ${partitions} partitions after ${i} tries`);
    const id = `${base}-${i}`;
    const p = offsetsPartitionOf(id, partitions);
    if (byPartition[p] === undefined) {
      byPartition[p] = id;
      found++;
    }
  }
  return byPartition as string[];
}
