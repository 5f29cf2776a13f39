// A loopback TCP proxy in front of MariaDB or Cassandra. Cutting it makes
// the server unreachable for the service under test (connections reset, new
// ones refused) without stopping the server other suites use. Given a key and
// certificate it terminates TLS, standing for a node that requires TLS.
import net from "node:net";
import type { AddressInfo } from "node:net";
import tls from "node:tls";
import type { TlsOptions } from "node:tls";

export class TcpProxy {
  private server?: net.Server;
  private readonly sockets = new Set<net.Socket>();
  port = 0;

  /** With `serverTls` (key and certificate) the proxy terminates TLS: clients speak TLS to it, the target gets plain TCP. */
  constructor(private readonly targetHost: string, private readonly targetPort: number, private readonly serverTls?: TlsOptions) {}

  get running(): boolean {
    return this.server !== undefined;
  }

  async start(port = this.port): Promise<number> {
    const relay = (client: net.Socket) => {
      const upstream = net.connect(this.targetPort, this.targetHost);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on("close", () => this.sockets.delete(socket));
        socket.on("error", () => socket.destroy());
      }
      client.pipe(upstream).pipe(client);
      client.on("close", () => upstream.destroy());
      upstream.on("close", () => client.destroy());
    };
    const server: net.Server = this.serverTls ? tls.createServer(this.serverTls, relay) : net.createServer(relay);
    // A client that gives up during the handshake (an untrusted certificate) is not an error of the proxy.
    server.on("tlsClientError", () => {});
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    return this.port;
  }

  /** Drops every connection and refuses new ones. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
