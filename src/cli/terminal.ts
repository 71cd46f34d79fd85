/** Terminal facts the CLI needs, decided in one place. */
export function colorEnabled(stream: NodeJS.WriteStream, flag?: boolean): boolean {
  if (flag === false) return false;
  if ('NO_COLOR' in process.env && process.env.NO_COLOR !== '') return false;
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY);
}

export function terminalWidth(stream: NodeJS.WriteStream): number {
  return Math.max(60, Math.min(stream.columns || 80, 120));
}
