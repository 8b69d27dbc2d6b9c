import net from "node:net";

/**
 * A TCP port on 127.0.0.1 that nothing listens on right now (the OS picks it), for a test's own
 * server. A port derived from the pid or a constant can collide with another process, or with the
 * local end of an open connection, and fail the run with EADDRINUSE.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
