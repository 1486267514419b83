import { AddressInfo, createServer, Server, Socket } from 'node:net';

/**
 * A TCP proxy between a process under test and a service (PostgreSQL, Redis) that the test can
 * cut and restore. `cut()` destroys every live connection (both ends see it close) and refuses the
 * new ones until `restore()`; `cut({ hang: true })` instead accepts new connections and never
 * answers, as a network that drops packets would.
 */
export class TcpProxy {
  private server?: Server;
  private readonly live = new Set<Socket>();
  private mode: 'open' | 'refuse' | 'hang' = 'open';
  /** Connections accepted since the start, for tests that want to see that a client reconnected. */
  connections = 0;

  private constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  /** Listens on a free port of 127.0.0.1 and forwards to host:port. */
  static async start(targetHost: string, targetPort: number): Promise<TcpProxy> {
    const proxy = new TcpProxy(targetHost, targetPort);
    const server = createServer((client) => proxy.accept(client));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    proxy.server = server;
    return proxy;
  }

  get port(): number {
    return (this.server?.address() as AddressInfo).port;
  }

  /** The same URL with host and port replaced by the proxy's (postgres://… or redis://…). */
  url(targetUrl: string): string {
    const url = new URL(targetUrl);
    url.hostname = '127.0.0.1';
    url.port = String(this.port);
    return url.toString();
  }

  get isCut(): boolean {
    return this.mode !== 'open';
  }

  cut(options: { hang?: boolean } = {}): void {
    this.mode = options.hang ? 'hang' : 'refuse';
    this.dropAll();
  }

  restore(): void {
    // Connections held while hanging never reached the service: drop them, clients reconnect.
    this.dropAll();
    this.mode = 'open';
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private accept(client: Socket): void {
    this.connections++;
    client.on('error', () => client.destroy());
    if (this.mode === 'refuse') {
      reset(client);
      return;
    }
    this.track(client);
    if (this.mode === 'hang') return;
    const upstream = new Socket();
    this.track(upstream);
    upstream.on('error', () => client.destroy());
    // A half-closed or reset end closes the other, as a real connection would.
    upstream.on('close', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.connect(this.targetPort, this.targetHost, () => {
      client.pipe(upstream);
      upstream.pipe(client);
    });
  }

  private dropAll(): void {
    for (const socket of this.live) reset(socket);
    this.live.clear();
  }

  private track(socket: Socket): void {
    this.live.add(socket);
    socket.on('close', () => this.live.delete(socket));
  }
}

/**
 * Closes at once. (A TCP reset, socket.resetAndDestroy(), would be closer to a failed network,
 * but on Node 20 it left sockets behind that kept the test process busy after the run.)
 */
function reset(socket: Socket): void {
  socket.destroy();
}
