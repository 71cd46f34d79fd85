import { setFlagsFromString } from 'node:v8';

/**
 * V8 heap settings for a process that runs a fleet. By default V8 lets the young generation grow to
 * 16 MB per semi-space and the old generation to a multiple (up to 4×) of what survived the last full
 * GC; with thousands of stations that slack was twice the stations' live heap (bench: 61 KB of RSS
 * per station for 17 KB live). Keeping the young generation at its initial size and letting the old
 * one grow 20 % per full GC brought peak RSS to 27 KB per station for 3-10 % more CPU per round trip
 * (README, "Memory"). Both flags are read by V8 each time it sizes the heap, so setting them at
 * run time takes effect; a V8 that ignores them only costs the memory back.
 */
export const LEAN_HEAP_FLAGS = ['--semi-space-growth-factor=1', '--heap-growing-percent=20'] as const;

/** Applies {@link LEAN_HEAP_FLAGS} to this process; call before the fleet connects. */
export function useLeanHeap(): void {
  for (const flag of LEAN_HEAP_FLAGS) setFlagsFromString(flag);
}
