import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDrainableServer, DEFAULT_SERVER_POLICY } from '../../../src/channels/http/server.ts';

function get(agent: Agent, port: number, path: string): Promise<{ status: number; headers: IncomingHttpHeaders }> {
  return new Promise((done, fail) => {
    request({ port, host: '127.0.0.1', path, agent }, (res) => {
      res.resume();
      res.on('end', () => done({ status: res.statusCode!, headers: res.headers }));
    })
      .on('error', fail)
      .end();
  });
}

/** A server whose /slow answers after `ms` milliseconds and whose other paths answer at once. */
async function slowServer(ms: number, policy = {}) {
  const drainable = createDrainableServer((req, res) => {
    if (req.url === '/slow') setTimeout(() => res.end('slow'), ms);
    else res.end('fast');
  }, policy);
  await new Promise<void>((done) => drainable.server.listen(0, '127.0.0.1', done));
  return { ...drainable, port: (drainable.server.address() as AddressInfo).port };
}

test('sets the timeouts of the server policy', async () => {
  const { server } = await slowServer(0);
  assert.equal(server.headersTimeout, DEFAULT_SERVER_POLICY.headersTimeoutMs);
  assert.equal(server.requestTimeout, DEFAULT_SERVER_POLICY.requestTimeoutMs);
  assert.equal(server.keepAliveTimeout, DEFAULT_SERVER_POLICY.keepAliveTimeoutMs);
  server.close();
});

test('a drain lets a running request finish with Connection: close, refuses new connections and resolves true', async () => {
  const { server, drain, port } = await slowServer(300);
  const agent = new Agent({ keepAlive: true });
  assert.equal((await get(agent, port, '/fast')).headers.connection, 'keep-alive');
  const running = get(agent, port, '/slow');
  await new Promise((done) => setTimeout(done, 50));
  const drained = drain();
  const res = await running;
  assert.equal(res.status, 200);
  assert.equal(res.headers.connection, 'close');
  await assert.rejects(get(agent, port, '/fast'), { code: 'ECONNREFUSED' });
  assert.equal(await drained, true);
  assert.equal(server.listening, false);
  agent.destroy();
});

test('a drain that outlasts drainTimeoutMs cuts the request off and resolves false', async () => {
  const { drain, port } = await slowServer(5000, { drainTimeoutMs: 200 });
  const running = get(new Agent(), port, '/slow');
  await new Promise((done) => setTimeout(done, 50));
  const started = Date.now();
  assert.equal(await drain(), false);
  assert.ok(Date.now() - started < 1000);
  await assert.rejects(running, { code: 'ECONNRESET' });
});

test('a drain closes idle keep-alive connections after drainIdleMs', async () => {
  const { drain, port } = await slowServer(0, { drainIdleMs: 100 });
  const agent = new Agent({ keepAlive: true });
  await get(agent, port, '/fast');
  const started = Date.now();
  assert.equal(await drain(), true);
  const ms = Date.now() - started;
  assert.ok(ms >= 90 && ms < 1000, `drained in ${ms} ms`);
  agent.destroy();
});
