/**
 * What a case saw, kept small enough to print in a CI log: the first frames (each cut to about 300
 * characters) and free-text notes.
 */
import type { Evidence, EvidenceFrame } from './types.js';

export const MAX_FRAME_CHARS = 300;
export const MAX_FRAMES = 30;
const MAX_NOTES = 30;

/** `text` cut to `max` characters, the cut marked with an ellipsis. */
export function trimText(text: string, max = MAX_FRAME_CHARS): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export class EvidenceLog {
  private readonly frames: EvidenceFrame[] = [];
  private readonly notes: string[] = [];
  private omitted = 0;

  frame(dir: EvidenceFrame['dir'], station: string, text: string): void {
    if (this.frames.length >= MAX_FRAMES) {
      this.omitted++;
      return;
    }
    this.frames.push({ dir, station, text: trimText(text) });
  }

  note(text: string): void {
    if (this.notes.length < MAX_NOTES) this.notes.push(trimText(text, 2 * MAX_FRAME_CHARS));
  }

  toEvidence(): Evidence {
    return { frames: [...this.frames], framesOmitted: this.omitted, notes: [...this.notes] };
  }
}

/** The evidence as plain text (notes, then frames with → sent / ← received), for logs and JUnit bodies. */
export function evidenceText(evidence: Evidence): string {
  const lines: string[] = [];
  if (evidence.notes.length > 0) lines.push('notes:', ...evidence.notes.map((n) => `  - ${n}`));
  if (evidence.frames.length > 0) {
    lines.push('frames:', ...evidence.frames.map((f) => `  ${f.dir === 'sent' ? '→' : '←'} ${f.station} ${f.text}`));
  }
  if (evidence.framesOmitted > 0) lines.push(`  (${evidence.framesOmitted} more frames not shown)`);
  return lines.join('\n');
}
