import { after } from 'node:test';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type express from 'express';

const listening: Server[] = [];
// Every server a test file started is closed when the file ends, its open connections too (a tarpit keeps them).
after(() => {
  for (const server of listening) {
    server.closeAllConnections();
    server.close();
  }
});

const base = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

/** Serves an express app on a free loopback port and gives its base URL. */
export function listen(app: express.Express): Promise<string> {
  return new Promise((done) => {
    const server = app.listen(0, '127.0.0.1', () => done(base(server)));
    listening.push(server);
  });
}

/** The same for a plain HTTP server (a tarpit, a stand-in that misbehaves). */
export function listenServer(server: Server): Promise<string> {
  listening.push(server);
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done(base(server))));
}
