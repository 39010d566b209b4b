import { createServer, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { Server as NetServer } from 'node:net';
import type { Duplex } from 'node:stream';

/** How long the server waits for clients, and how long a shutdown may take. */
export interface ServerPolicy {
  /** Time to receive a request's headers (slow-header clients are cut off). Default 10 s. */
  headersTimeoutMs: number;
  /** Time to receive a whole request, body included. Default 30 s. */
  requestTimeoutMs: number;
  /**
   * An idle keep-alive connection is closed after this. Default 5 s (Node's own); behind a reverse
   * proxy it must exceed the proxy's idle timeout, or the proxy may reuse a connection being closed.
   */
  keepAliveTimeoutMs: number;
  /** On shutdown, idle connections are closed every this often (the first time this long after it began). Default 1 s. */
  drainIdleMs: number;
  /** On shutdown, requests still running this long after it began are cut off. Default 10 s. */
  drainTimeoutMs: number;
}

export const DEFAULT_SERVER_POLICY: Readonly<ServerPolicy> = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  drainIdleMs: 1_000,
  drainTimeoutMs: 10_000,
};

/** An HTTP server that can be drained: `drain()` resolves true when every request finished, false when cut off. */
export interface DrainableServer {
  server: Server;
  drain(): Promise<boolean>;
}

/**
 * Wraps `app` in a node:http server with the policy's timeouts and a graceful `drain()`. Does not listen.
 * `unparsable` is the problem+json body for a request Node's parser refuses before the app sees it (raw
 * non-ASCII bytes in the URL, a malformed request line); createHttpApp leaves its own in `app.locals`. Without
 * one the client gets Node's bare 400.
 */
export function createDrainableServer(
  app: RequestListener,
  policy: Partial<ServerPolicy> = {},
  unparsable = (app as { locals?: { unparsableRequest?: string } }).locals?.unparsableRequest,
): DrainableServer {
  const p = { ...DEFAULT_SERVER_POLICY, ...policy };
  const server = createServer(app);
  if (unparsable !== undefined) server.on('clientError', clientErrorHandler(unparsable));
  server.headersTimeout = p.headersTimeoutMs;
  server.requestTimeout = p.requestTimeoutMs;
  server.keepAliveTimeout = p.keepAliveTimeoutMs;

  const running = new Set<ServerResponse>();
  let draining = false;
  // Runs before the app, so even a response sent synchronously carries the header.
  server.prependListener('request', (_req, res: ServerResponse) => {
    if (draining) res.setHeader('Connection', 'close');
    running.add(res);
    res.once('close', () => running.delete(res));
  });

  let drained: Promise<boolean> | undefined;
  const drain = () =>
    (drained ??= new Promise<boolean>((done) => {
      draining = true;
      for (const res of running) if (!res.headersSent) res.setHeader('Connection', 'close');
      // http.Server#close would also destroy idle keep-alive connections at once, and a client that has
      // just written its next request on one gets a reset. Only the listener is closed here: each
      // connection's next request is answered with Connection: close, and connections that stay idle
      // are closed every drainIdleMs.
      const idle = setInterval(() => server.closeIdleConnections(), p.drainIdleMs).unref();
      const cutOff = setTimeout(() => {
        server.closeAllConnections();
        finish(false);
      }, p.drainTimeoutMs).unref();
      const finish = (clean: boolean) => {
        clearInterval(idle);
        clearTimeout(cutOff);
        done(clean);
      };
      NetServer.prototype.close.call(server, () => finish(true));
    }));
  return { server, drain };
}

/** Node's default answers to a request it could not parse, with a problem+json body for the 400 (see createDrainableServer). */
function clientErrorHandler(body: string): (err: NodeJS.ErrnoException, socket: Duplex) => void {
  const bare = (status: string) => `HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`;
  return (err, socket) => {
    if (err.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
    if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') return void socket.end(bare('408 Request Timeout'));
    if (err.code === 'HPE_HEADER_OVERFLOW') return void socket.end(bare('431 Request Header Fields Too Large'));
    socket.end(
      `HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Type: application/problem+json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  };
}
