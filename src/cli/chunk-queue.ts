/*
 * The directory scan's work queue, shared by the main thread and the scan
 * threads. The walk publishes files in numbered chunks; every thread takes
 * the next untaken chunk with one atomic operation, so no thread waits for
 * another to hand it work, and a slow file holds up only its own thread.
 */

/** Index of the next chunk to take. */
const NEXT = 0;
/** Chunks the walk has published. */
const PUBLISHED = 1;
/** 1 once the walk has published its last chunk. */
const CLOSED = 2;
/** Files scanned by the scan threads, for the progress line. */
const FILES_DONE = 3;

export type Counters = Int32Array;

export function createCounters(): Counters {
  return new Int32Array(new SharedArrayBuffer(4 * Int32Array.BYTES_PER_ELEMENT));
}

/** The index of a chunk the caller now owns, or -1 when every published chunk is taken. */
export function takeChunk(counters: Counters): number {
  for (;;) {
    const next = Atomics.load(counters, NEXT);
    if (next >= Atomics.load(counters, PUBLISHED)) return -1;
    if (Atomics.compareExchange(counters, NEXT, next, next + 1) === next) return next;
  }
}

/** Chunks below this index are taken, so their copies can be dropped. */
export function firstUntaken(counters: Counters): number {
  return Atomics.load(counters, NEXT);
}

/** Makes chunks up to `count` available and wakes threads waiting for work. */
export function publish(counters: Counters, count: number): void {
  Atomics.store(counters, PUBLISHED, count);
  Atomics.notify(counters, PUBLISHED);
}

export function close(counters: Counters): void {
  Atomics.store(counters, CLOSED, 1);
  Atomics.notify(counters, PUBLISHED);
}

/** True once the walk is over and every chunk is taken: a scan thread can stop. */
export function drained(counters: Counters): boolean {
  return Atomics.load(counters, CLOSED) === 1 && Atomics.load(counters, NEXT) >= Atomics.load(counters, PUBLISHED);
}

/** Blocks a scan thread (never the main thread) until more chunks are published, the walk ends, or `ms` pass. */
export function waitForWork(counters: Counters, ms: number): void {
  const published = Atomics.load(counters, PUBLISHED);
  if (Atomics.load(counters, NEXT) < published || Atomics.load(counters, CLOSED) === 1) return;
  Atomics.wait(counters, PUBLISHED, published, ms);
}

export function addFilesDone(counters: Counters, files: number): void {
  Atomics.add(counters, FILES_DONE, files);
}

export function filesDone(counters: Counters): number {
  return Atomics.load(counters, FILES_DONE);
}
