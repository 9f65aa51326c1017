import * as fs from 'fs';

/**
 * Writes a file (or collects chunks in memory) through 1 MiB buffers, so that a large report is never one string in
 * memory. Each text is encoded straight into the buffer: joining thousands of small strings first costs more than
 * the encoding. A text is never split across chunks, so each chunk is whole UTF-8.
 */
export class ChunkWriter {
  /** Writes a whole text at once. */
  public static writeFile(file: string, text: string): void {
    fs.writeFileSync(file, text);
  }

  /** A writer that keeps its chunks (see `chunks()`) instead of writing a file. */
  public static inMemory(chunk = 1024 * 1024): ChunkWriter {
    return new ChunkWriter(undefined, chunk);
  }

  /** A writer to an open file descriptor (written synchronously; not closed by `close()`). */
  public static toDescriptor(fd: number, chunk = 1024 * 1024): ChunkWriter {
    return new ChunkWriter(fd, chunk);
  }

  private readonly fd: number | undefined;
  private readonly ownsFd: boolean;
  private buffer: Buffer;
  private used = 0;
  private readonly kept: Buffer[] = [];

  constructor(file: string | number | undefined, private readonly chunk = 1024 * 1024) {
    this.fd = typeof file === 'string' ? fs.openSync(file, 'w') : file;
    this.ownsFd = typeof file === 'string';
    this.buffer = Buffer.allocUnsafe(chunk);
  }

  public write(text: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 code unit.
    if (this.used + text.length * 3 > this.buffer.length) {
      this.flush();
      if (text.length * 3 > this.buffer.length) {
        this.emit(Buffer.from(text, 'utf8'));
        return;
      }
    }
    this.used += this.buffer.write(text, this.used, 'utf8');
  }

  /**
   * Writes bytes already encoded (the parts of a report that repeat, encoded once). The bytes may be reused once this
   * returns: what is kept of them is a copy.
   */
  public writeBytes(bytes: Buffer): void {
    if (this.used + bytes.length > this.buffer.length) {
      this.flush();
      if (bytes.length > this.buffer.length) {
        this.emit(this.fd === undefined ? Buffer.from(bytes) : bytes);
        return;
      }
    }
    this.buffer.set(bytes, this.used);
    this.used += bytes.length;
  }

  /** Writes what is left, and closes the file it opened. */
  public close(): void {
    this.flush();
    if (this.ownsFd) fs.closeSync(this.fd!);
  }

  /** The chunks of an in-memory writer, after writing what is left. */
  public chunks(): Buffer[] {
    this.flush();
    return this.kept;
  }

  private flush(): void {
    if (this.used === 0) return;
    if (this.fd === undefined) {
      this.kept.push(this.buffer.subarray(0, this.used));
      this.buffer = Buffer.allocUnsafe(this.chunk);
    } else {
      this.emit(this.buffer.subarray(0, this.used));
    }
    this.used = 0;
  }

  private emit(bytes: Buffer): void {
    if (this.fd === undefined) {
      this.kept.push(bytes);
      return;
    }
    let at = 0;
    while (at < bytes.length) {
      try {
        at += fs.writeSync(this.fd, bytes, at, bytes.length - at);
      } catch (e: any) {
        // A non-blocking descriptor that is full: wait for it (the report must be whole).
        if (e?.code !== 'EAGAIN') throw e;
        Atomics.wait(WAIT, 0, 0, 1);
      }
    }
  }
}

const WAIT = new Int32Array(new SharedArrayBuffer(4));
