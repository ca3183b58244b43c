import cliProgress from 'cli-progress';

/** Progress and messages of a long job, on stderr: stdout carries only the job's answer. */
export interface Progress {
  /** `label`'s job has done `done` of `total`; `details` are the figures a plain line shows. */
  update(label: string, done: number, total: number, details: string): void;
  /** A message on a line of its own, never glued to a bar. */
  log(message: string): void;
  /** Ends the bars with a newline, so that what follows starts on a line of its own. */
  stop(): void;
}

/**
 * Bars on a terminal; on a file or a pipe (a log, a test, `2> file`) plain lines instead, with no
 * carriage returns: the first update, then at most one a second, and each job's last.
 */
export function progressOn(stream: NodeJS.WriteStream = process.stderr, interval = 1000): Progress {
  return stream.isTTY ? new Bars(stream) : new PlainLines(stream, interval);
}

class Bars implements Progress {
  private readonly bars = new Map<string, cliProgress.SingleBar>();
  private readonly multibar: cliProgress.MultiBar;

  constructor(stream: NodeJS.WriteStream) {
    this.multibar = new cliProgress.MultiBar(
      { stream, format: '{label} [{bar}] {percentage}% {details}', barsize: 30, hideCursor: true, clearOnComplete: false },
      cliProgress.Presets.legacy,
    );
  }

  update(label: string, done: number, total: number, details: string): void {
    const bar = this.bars.get(label);
    if (bar) {
      bar.setTotal(total);
      bar.update(done, { details });
    } else this.bars.set(label, this.multibar.create(total, done, { label, details }));
  }

  log(message: string): void {
    this.multibar.log(`${message}\n`);
    // Written now: the multibar flushes its log only when it redraws, which stop() does not.
    this.multibar.update();
  }

  stop(): void {
    this.multibar.stop();
  }
}

class PlainLines implements Progress {
  private lastWritten = 0;
  private readonly pending = new Map<string, string>();

  constructor(
    private readonly stream: NodeJS.WritableStream,
    private readonly interval: number,
  ) {}

  update(label: string, done: number, total: number, details: string): void {
    const line = `${label}: ${details}`;
    if (done < total && this.lastWritten > 0 && Date.now() - this.lastWritten < this.interval) {
      this.pending.set(label, line);
      return;
    }
    this.pending.delete(label);
    this.write(line);
  }

  log(message: string): void {
    this.write(message);
  }

  stop(): void {
    for (const line of this.pending.values()) this.write(line);
    this.pending.clear();
  }

  private write(line: string): void {
    this.lastWritten = Date.now();
    this.stream.write(`${line}\n`);
  }
}
