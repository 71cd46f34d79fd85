/**
 * One direction of a proxied connection after the fault decisions: delivers byte pieces to the
 * destination socket in order, each no earlier than its delay allows. Without delay and with nothing
 * queued, a piece is written straight through. One timer at most, cleared by `stop()`.
 */

export interface LaneTarget {
  write(bytes: Buffer): void;
  end(): void;
}

interface Pending {
  due: number;
  /** null marks the end of the stream (FIN). */
  bytes: Buffer | null;
}

export class Lane {
  private target: LaneTarget | null = null;
  private queue: (Pending | undefined)[] = [];
  private next = 0;
  private lastDue = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private finished = false;
  private stopped = false;

  /** Sets the destination (the upstream socket once connected) and delivers what is due. */
  attach(target: LaneTarget): void {
    this.target = target;
    this.flush();
  }

  /** Queues `bytes` for delivery after `delayMs`, never before anything queued earlier. */
  send(bytes: Buffer, delayMs: number): void {
    this.enqueue(bytes, delayMs);
  }

  /** Ends the destination once everything queued so far has been delivered. Idempotent. */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.enqueue(null, 0);
  }

  /** Drops everything queued and clears the timer; the lane delivers nothing afterwards. */
  stop(): void {
    this.stopped = true;
    this.queue = [];
    this.next = 0;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  get queued(): number {
    return this.queue.length - this.next;
  }

  private enqueue(bytes: Buffer | null, delayMs: number): void {
    if (this.stopped) return;
    const now = performance.now();
    const due = Math.max(now + delayMs, this.lastDue);
    this.lastDue = due;
    if (this.target && this.queued === 0 && due <= now) {
      this.deliver(this.target, bytes);
      return;
    }
    this.queue.push({ due, bytes });
    this.flush();
  }

  private flush(): void {
    const target = this.target;
    if (!target || this.stopped) return;
    const now = performance.now();
    while (this.next < this.queue.length) {
      const item = this.queue[this.next] as Pending;
      if (item.due > now) break;
      this.queue[this.next++] = undefined;
      this.deliver(target, item.bytes);
      if (this.stopped) return;
    }
    if (this.next === this.queue.length) {
      this.queue.length = 0;
      this.next = 0;
      return;
    }
    if (this.next >= 1024 && this.next * 2 >= this.queue.length) {
      this.queue = this.queue.slice(this.next);
      this.next = 0;
    }
    if (this.timer === undefined) {
      const wait = (this.queue[this.next] as Pending).due - now;
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.flush();
      }, Math.max(1, Math.ceil(wait)));
    }
  }

  private deliver(target: LaneTarget, bytes: Buffer | null): void {
    if (bytes === null) target.end();
    else target.write(bytes);
  }
}
