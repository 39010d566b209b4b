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

/** A Teams message from Minji in a personal chat, as the Bot Framework posts it to the bot; `extra` overrides any field. */
export function messageActivity(serviceUrl: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'message',
    id: 'incoming-1',
    channelId: 'msteams',
    serviceUrl,
    locale: 'en-US',
    from: { id: 'user-1', name: 'Minji' },
    recipient: { id: 'bot-1', name: 'Stepwise' },
    conversation: { id: 'conv-1', conversationType: 'personal' },
    ...extra,
  };
}
