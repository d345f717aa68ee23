import { setFlagsFromString } from 'node:v8';

/**
 * Lets the old generation grow only `percent` % over what survived the last full collection before the next
 * one. V8's default lets it grow up to four times the live heap while the process is busy, which a streamed
 * export turns into RSS: exporting a million orders as CSV left the api's RSS about 180 MB above idle in
 * garbage alone, and about 20 MB with 20 %, at the same speed (bench/README.md, "Open data export"). Call it
 * first thing in a process's entry point; it holds for the rest of the process.
 */
export function boundHeapGrowth(percent = 20): void {
  setFlagsFromString(`--heap-growing-percent=${percent}`);
}
