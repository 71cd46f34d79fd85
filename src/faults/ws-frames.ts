/**
 * Incremental splitter for one direction of one proxied WebSocket connection (RFC 6455).
 *
 * The stream starts with an HTTP head (the upgrade request, or the server's response). Every byte up
 * to and including the first blank line (`\r\n\r\n`) is handed over untouched as the head. After a
 * `101 Switching Protocols` response (or after any request head) the rest is a sequence of frames,
 * each handed over whole and unmodified (header, mask key and payload). After a response head with
 * any other status the stream is not WebSocket, and the rest is handed over as raw bytes.
 *
 * Frames are reassembled from arbitrarily chunked input. A frame that fits inside one input chunk is
 * a view into that chunk (no copy); only frames spanning chunks are copied into a new buffer.
 */

/** OCPP-J message type: the first element of the JSON array. */
export type OcppMessageType = 2 | 3 | 4;

export const OPCODE = {
  continuation: 0x0,
  text: 0x1,
  binary: 0x2,
  close: 0x8,
  ping: 0x9,
  pong: 0xa,
} as const;

/** Receives the pieces of the stream in order. */
export interface WsStreamSink {
  /** The HTTP head, through the blank line. */
  head(bytes: Buffer): void;
  /** One complete WebSocket frame. */
  frame(bytes: Buffer): void;
  /** Bytes after a non-101 response head (an HTTP error body, for example). */
  raw(bytes: Buffer): void;
}

export class WsFrameError extends Error {
  override readonly name = 'WsFrameError';
}

/** Largest HTTP head accepted before the stream is declared broken. */
export const MAX_HEAD_BYTES = 16 * 1024;
/** Default largest frame (header + payload); ws and ocpp-rpc accept 100 MiB payloads by default. */
export const DEFAULT_MAX_FRAME_BYTES = 100 * 1024 * 1024 + 14;

const CR = 0x0d;
const LF = 0x0a;
const HEAD_END = [CR, LF, CR, LF];

export class WsStreamSplitter {
  private phase: 'head' | 'frames' | 'raw' = 'head';
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** How many bytes of `\r\n\r\n` the head scan has matched so far. */
  private headMatch = 0;
  /** Total size of the frame being collected; -1 while its header is incomplete. */
  private frameSize = -1;

  constructor(
    private readonly sink: WsStreamSink,
    private readonly maxFrameBytes = DEFAULT_MAX_FRAME_BYTES,
  ) {}

  /** Feeds the next bytes of the stream. Throws WsFrameError on an oversized head or frame. */
  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    if (this.phase === 'raw') {
      this.sink.raw(chunk);
      return;
    }
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    if (this.phase === 'head' && !this.scanHead(chunk)) return;
    if (this.phase === 'frames') this.drainFrames();
  }

  /** Bytes held back waiting for the rest of a head or frame. */
  get pendingBytes(): number {
    return this.buffered;
  }

  /** Scans the newest chunk for the end of the head; returns true once the head has been emitted. */
  private scanHead(chunk: Buffer): boolean {
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (b === HEAD_END[this.headMatch]) this.headMatch++;
      else this.headMatch = b === CR ? 1 : 0;
      if (this.headMatch === HEAD_END.length) {
        this.emitHead(this.buffered - chunk.length + i + 1);
        return true;
      }
    }
    if (this.buffered > MAX_HEAD_BYTES) throw new WsFrameError(`HTTP head longer than ${MAX_HEAD_BYTES} bytes`);
    return false;
  }

  private emitHead(length: number): void {
    const head = this.take(length);
    this.phase = isNonUpgradeResponse(head) ? 'raw' : 'frames';
    this.sink.head(head);
    if (this.phase === 'raw' && this.buffered > 0) this.sink.raw(this.take(this.buffered));
  }

  private drainFrames(): void {
    for (;;) {
      if (this.frameSize < 0) {
        this.frameSize = this.parseFrameSize();
        if (this.frameSize < 0) return;
      }
      if (this.buffered < this.frameSize) return;
      const frame = this.take(this.frameSize);
      this.frameSize = -1;
      this.sink.frame(frame);
    }
  }

  /** Total frame size from the buffered header, or -1 when the header is not complete yet. */
  private parseFrameSize(): number {
    if (this.buffered < 2) return -1;
    const second = this.byteAt(1);
    const maskBytes = second & 0x80 ? 4 : 0;
    const len7 = second & 0x7f;
    let headerBytes = 2;
    let payload = len7;
    if (len7 === 126) {
      if (this.buffered < 4) return -1;
      headerBytes = 4;
      payload = (this.byteAt(2) << 8) | this.byteAt(3);
    } else if (len7 === 127) {
      if (this.buffered < 10) return -1;
      headerBytes = 10;
      const high = this.uint32At(2);
      if (high > 0x1fffff) throw new WsFrameError('frame length exceeds 2^53');
      payload = high * 2 ** 32 + this.uint32At(6);
    }
    const size = headerBytes + maskBytes + payload;
    if (size > this.maxFrameBytes) throw new WsFrameError(`frame of ${size} bytes exceeds ${this.maxFrameBytes}`);
    return size;
  }

  private uint32At(offset: number): number {
    return (
      this.byteAt(offset) * 0x1000000 +
      ((this.byteAt(offset + 1) << 16) | (this.byteAt(offset + 2) << 8) | this.byteAt(offset + 3))
    );
  }

  private byteAt(index: number): number {
    let i = index;
    for (const c of this.chunks) {
      if (i < c.length) return c[i];
      i -= c.length;
    }
    throw new RangeError(`byte ${index} is not buffered`);
  }

  /** Removes and returns the first `length` buffered bytes (a view when they lie in one chunk). */
  private take(length: number): Buffer {
    this.buffered -= length;
    const first = this.chunks[0];
    if (first.length >= length) {
      if (first.length === length) this.chunks.shift();
      else this.chunks[0] = first.subarray(length);
      return first.subarray(0, length);
    }
    const out = Buffer.allocUnsafe(length);
    let filled = 0;
    let used = 0;
    while (filled < length) {
      const c = this.chunks[used];
      const n = Math.min(c.length, length - filled);
      c.copy(out, filled, 0, n);
      filled += n;
      if (n === c.length) used++;
      else this.chunks[used] = c.subarray(n);
    }
    this.chunks.splice(0, used);
    return out;
  }
}

/** True for an HTTP response head whose status is not 101. */
function isNonUpgradeResponse(head: Buffer): boolean {
  if (head.length < 12 || head.toString('latin1', 0, 5) !== 'HTTP/') return false;
  return !/^HTTP\/\d(\.\d)? 101\b/.test(head.toString('latin1', 0, Math.min(head.length, 32)));
}

export function frameOpcode(frame: Buffer): number {
  return frame[0] & 0x0f;
}

export function isFinalFrame(frame: Buffer): boolean {
  return (frame[0] & 0x80) !== 0;
}

export function isControlFrame(frame: Buffer): boolean {
  return (frame[0] & 0x08) !== 0;
}

/** Offset of the (possibly masked) payload within a complete frame. */
function payloadOffset(frame: Buffer): number {
  const len7 = frame[1] & 0x7f;
  const base = len7 === 126 ? 4 : len7 === 127 ? 10 : 2;
  return base + (frame[1] & 0x80 ? 4 : 0);
}

const PEEK_LIMIT = 32;

/**
 * The OCPP message type of a text frame (2 CALL, 3 CALLRESULT, 4 CALLERROR), read by unmasking only
 * the first few payload bytes. Null for other opcodes, compressed frames (RSV1 set) and payloads that
 * do not start like an OCPP-J array.
 */
export function ocppMessageType(frame: Buffer): OcppMessageType | null {
  if (frameOpcode(frame) !== OPCODE.text || frame[0] & 0x40) return null;
  const start = payloadOffset(frame);
  const masked = (frame[1] & 0x80) !== 0;
  const end = Math.min(frame.length, start + PEEK_LIMIT);
  let expect: 'bracket' | 'digit' | 'after' = 'bracket';
  let type: OcppMessageType | null = null;
  for (let i = start; i < end; i++) {
    const b = masked ? frame[i] ^ frame[start - 4 + ((i - start) & 3)] : frame[i];
    const blank = b === 0x20 || b === 0x09 || b === LF || b === CR;
    if (expect === 'after') return blank || b === 0x2c || b === 0x5d ? type : null;
    if (blank) continue;
    if (expect === 'bracket') {
      if (b !== 0x5b) return null;
      expect = 'digit';
    } else {
      if (b < 0x32 || b > 0x34) return null;
      type = (b - 0x30) as OcppMessageType;
      expect = 'after';
    }
  }
  return null;
}

/**
 * The station identity from an upgrade request head: the last segment of the request path (query and
 * fragment removed), percent-decoded. Null when the head has no parseable request line.
 */
export function upgradeIdentity(head: Buffer): string | null {
  const lineEnd = head.indexOf('\r\n');
  const line = head.toString('utf8', 0, lineEnd < 0 ? head.length : lineEnd);
  const match = /^[A-Z]+ (\S+) HTTP\/\d(\.\d)?$/.exec(line);
  if (!match) return null;
  let path = match[1].replace(/[?#].*$/, '');
  const scheme = /^[a-z][a-z0-9+.-]*:\/\/[^/]*/i.exec(path);
  if (scheme) path = path.slice(scheme[0].length);
  const segment = path.slice(path.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
