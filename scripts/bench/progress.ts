/** A one-line progress bar on stderr (the results go to stdout and files); plain lines when not a TTY. */
export class Progress {
  private readonly started = performance.now();
  private lastPrinted = -1;
  private readonly tty = Boolean(process.stderr.isTTY);

  constructor(
    private readonly label: string,
    private readonly total: number,
  ) {}

  update(done: number, note = '') {
    const fraction = this.total ? Math.min(1, done / this.total) : 1;
    const pct = Math.floor(fraction * 100);
    const secs = ((performance.now() - this.started) / 1000).toFixed(1);
    if (this.tty) {
      const width = 30;
      const filled = Math.round(fraction * width);
      process.stderr.write(`\r${this.label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(pct).padStart(3)}% ${secs}s ${note}`.padEnd(100));
    } else if (pct >= this.lastPrinted + 10 || fraction === 1) {
      // Logs (CI, `| tee`) get a line per tenth instead of thousands of carriage returns.
      this.lastPrinted = pct - (pct % 10);
      process.stderr.write(`${this.label} ${pct}% ${secs}s ${note}\n`);
    }
  }

  done(note = '') {
    this.update(this.total, note);
    if (this.tty) process.stderr.write('\n');
  }
}

/** Runs one step and logs how long it took, for the steps too coarse to have a bar. */
export async function step<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const started = performance.now();
  process.stderr.write(`${label}…`);
  const result = await fn();
  process.stderr.write(` ${((performance.now() - started) / 1000).toFixed(1)}s\n`);
  return result;
}
