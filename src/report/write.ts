import * as fs from 'fs';

/**
 * Writes a file through a 1 MiB buffer, so that a large report is never one string in memory. Each text is encoded
 * straight into the buffer: joining thousands of small strings first costs more than the encoding.
 */
export class ChunkWriter {
  /** Writes a whole text at once. */
  public static writeFile(file: string, text: string): void {
    fs.writeFileSync(file, text);
  }

  private readonly fd: number;
  private readonly buffer: Buffer;
  private used = 0;

  constructor(file: string, chunk = 1024 * 1024) {
    this.fd = fs.openSync(file, 'w');
    this.buffer = Buffer.allocUnsafe(chunk);
  }

  public write(text: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 code unit.
    if (this.used + text.length * 3 > this.buffer.length) {
      this.flush();
      if (text.length * 3 > this.buffer.length) {
        fs.writeSync(this.fd, text);
        return;
      }
    }
    this.used += this.buffer.write(text, this.used, 'utf8');
  }

  public close(): void {
    this.flush();
    fs.closeSync(this.fd);
  }

  private flush(): void {
    let at = 0;
    while (at < this.used) at += fs.writeSync(this.fd, this.buffer, at, this.used - at);
    this.used = 0;
  }
}
