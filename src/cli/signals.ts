import { EXIT } from './exit-codes.js';

/**
 * First Ctrl-C (or SIGTERM): stop gracefully — no new sessions, running ones stopped, partial report
 * written. Second Ctrl-C: exit at once with 105.
 */
export function interruptOnSignals(say: (msg: string) => void): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      say(`\n${name} again: stopping now, no report written\n`);
      process.exit(EXIT.ABORTED);
    }
    say(`\n${name}: finishing running sessions and writing a partial report (Ctrl-C again to stop now)\n`);
    controller.abort(`interrupted (${name})`);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
