import * as fs from 'fs';

/** Writes a file in chunks of about 1 MiB, so that a large report is never one string in memory. */
export class ChunkWriter {
  /** Writes a whole text at once. */
  public static writeFile(file: string, text: string): void {
    fs.writeFileSync(file, text);
  }

  private readonly fd: number;
  private pending: string[] = [];
  private size = 0;

  constructor(file: string, private readonly chunk = 1024 * 1024) {
    this.fd = fs.openSync(file, 'w');
  }

  public write(text: string): void {
    this.pending.push(text);
    this.size += text.length;
    if (this.size >= this.chunk) this.flush();
  }

  public close(): void {
    this.flush();
    fs.closeSync(this.fd);
  }

  private flush(): void {
    if (!this.pending.length) return;
    fs.writeSync(this.fd, this.pending.join(''));
    this.pending = [];
    this.size = 0;
  }
}
