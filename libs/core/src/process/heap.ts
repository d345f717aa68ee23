import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const BOUND_PERCENT = 20;
let holders = 0;
let fullCollection: (() => void) | undefined;

/** V8's full collection, as `--expose-gc` gives it, taken once from a fresh context. */
function collect(): void {
  if (!fullCollection) {
    setFlagsFromString('--expose-gc');
    fullCollection = runInNewContext('gc') as () => void;
  }
  fullCollection();
}

/**
 * Lets the old generation grow only 20 % over what survived the last full collection, until the returned
 * release is called (by every holder, when several overlap). V8's default lets it grow up to four times the
 * live heap while the process is busy, which a streamed export turns into RSS: a million-row CSV export left
 * the api about 175 MB above idle in garbage alone, and 13–43 MB with the bound, at the same speed. Held for
 * the whole process, the bound costs the rest of its work: the api's busiest write route took 294 µs of CPU a
 * request instead of 213 (more full collections). So it is held only while an export or a snapshot runs.
 * V8 reads the flag when a full collection sets the next limit, so taking the bound runs one (tens of
 * milliseconds at the api's size): without it the first export still grew to the limit set unbounded, 125 MB
 * above idle (bench/README.md, "Open data export").
 */
export function boundHeapGrowth(): () => void {
  if (holders++ === 0) {
    setFlagsFromString(`--heap-growing-percent=${BOUND_PERCENT}`);
    collect();
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    // 0 is V8's default: its own growing factor.
    if (--holders === 0) setFlagsFromString('--heap-growing-percent=0');
  };
}
