import net from 'node:net';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
}

/**
 * One client connection over a raw socket, as a keep-alive HTTP/1.1 client uses it: requests go one
 * after another on the same socket, and a slow body goes out in pieces. Only status and headers are read.
 */
export class RawConnection {
  private buffer = Buffer.alloc(0);
  private waiting: (() => void) | undefined;
  closed = false;

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (data) => {
      this.buffer = Buffer.concat([this.buffer, data]);
      this.waiting?.();
    });
    const onClosed = () => {
      this.closed = true;
      this.waiting?.();
    };
    socket.on('close', onClosed);
    socket.on('error', onClosed);
  }

  static open(baseUrl: string): Promise<RawConnection> {
    const { hostname, port } = new URL(baseUrl);
    return new Promise((resolve, reject) => {
      const socket = net.connect(Number(port), hostname, () => resolve(new RawConnection(socket)));
      socket.once('error', reject);
    });
  }

  write(data: string | Buffer): void {
    if (!this.closed) this.socket.write(data);
  }

  /** The next response's status and headers, then its body (by Content-Length or chunked) is consumed. */
  async readResponse(timeoutMs = 5_000): Promise<RawResponse> {
    const deadline = Date.now() + timeoutMs;
    const headEnd = await this.until(() => this.buffer.indexOf('\r\n\r\n'), deadline);
    const [statusLine, ...lines] = this.buffer.subarray(0, headEnd).toString('latin1').split('\r\n');
    const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
    this.buffer = this.buffer.subarray(headEnd + 4);
    if (headers['transfer-encoding'] === 'chunked') {
      const end = await this.until(() => this.buffer.indexOf('0\r\n\r\n'), deadline);
      this.buffer = this.buffer.subarray(end + 5);
    } else {
      const length = Number(headers['content-length'] ?? 0);
      await this.until(() => (this.buffer.length >= length ? length : -1), deadline);
      this.buffer = this.buffer.subarray(length);
    }
    return { status: Number(statusLine!.split(' ')[1]), headers };
  }

  /** Resolves once the server has closed the connection. */
  async closedByServer(timeoutMs = 5_000): Promise<void> {
    await this.until(() => (this.closed ? 0 : -1), Date.now() + timeoutMs, true);
  }

  destroy(): void {
    this.socket.destroy();
  }

  private async until(found: () => number, deadline: number, closeIsTheAnswer = false): Promise<number> {
    for (;;) {
      const at = found();
      if (at >= 0) return at;
      if (this.closed && !closeIsTheAnswer) throw new Error('the server closed the connection before answering');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('no answer in time');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiting = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }
}
