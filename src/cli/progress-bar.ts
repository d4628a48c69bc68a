/** A one-line progress bar on a terminal (stderr), redrawn at most ten times a second; silent elsewhere. */
export interface ProgressBar {
  advance(bytes: number): void;
  label(text: string): void;
  done(): void;
}

function megabytes(n: number): string {
  return `${(n / 1e6).toFixed(1)} MB`;
}

export function progressBar(
  stream: NodeJS.WritableStream,
  total: number,
  now: () => number = Date.now,
): ProgressBar {
  const tty = 'isTTY' in stream && stream.isTTY === true;
  if (!tty) return { advance() {}, label() {}, done() {} };
  const width = 30;
  const started = now();
  let done = 0;
  let text = '';
  let drawn = 0;
  const draw = (force: boolean) => {
    const t = now();
    if (!force && t - drawn < 100) return;
    drawn = t;
    const share = total > 0 ? Math.min(1, done / total) : 0;
    const filled = Math.round(share * width);
    const rate = done / Math.max(0.001, (t - started) / 1000);
    stream.write(
      `\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${(share * 100).toFixed(0).padStart(3)}% ` +
        `${megabytes(done)}/${megabytes(total)} ${megabytes(rate)}/s ${text.slice(0, 40).padEnd(40)}`,
    );
  };
  return {
    advance(bytes) {
      done += bytes;
      draw(false);
    },
    label(t) {
      text = t;
      draw(false);
    },
    done() {
      draw(true);
      stream.write('\n');
    },
  };
}
