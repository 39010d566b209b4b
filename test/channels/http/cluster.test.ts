import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** One request on its own connection (no keep-alive), so the cluster primary hands each to the next worker. */
function post(port: number, path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data), connection: 'close' },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} }));
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

describe('one process per core (src/cluster.ts)', () => {
  it('two workers share one SQLite store: feedback reaches an answer given by a worker that has since been killed', { timeout: 180_000 }, async () => {
    const data = mkdtempSync(join(tmpdir(), 'stepwise-cluster-'));
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cluster.ts', '--workers', '2'], {
      cwd: root,
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: data, LOG_LEVEL: 'info', RATE_LIMIT_MAX: '0', ANSWER_CACHE_SIZE: '0' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const readyPids = () => [...out.matchAll(/[^\n]*"msg":"ready"/g)].map((m) => Number(/"pid":(\d+)/.exec(m[0])?.[1]));
    const until = async (ok: () => boolean, what: string) => {
      for (let i = 0; i < 3000 && !ok(); i++) {
        if (child.exitCode !== null) throw new Error(`cluster exited ${child.exitCode}:\n${out}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      assert.ok(ok(), `${what}:\n${out}`);
    };
    try {
      // A worker's content can be ready before its listen callback has run (in a cluster, listen goes through the
      // primary), so the port line is waited for as well.
      await until(() => readyPids().length >= 2 && /"port":\d+/.test(out), 'both workers ready and listening');
      const pids = readyPids();
      assert.equal(new Set(pids).size, 2, 'two distinct worker processes');
      // Workers listening on port 0 in a cluster share the one port the primary picked.
      const port = Number(/"port":(\d+)/.exec(out)![1]);
      const ids: string[] = [];
      for (let i = 0; i < 8; i++) {
        const res = await post(port, '/api/v1/ask', { question: `OutOfQuota CPU quota ${i}`, lang: 'en' });
        assert.equal(res.status, 200);
        ids.push((res.body.answer as { id: string }).id);
      }
      // Half of those answers came from this worker (round-robin); after it is gone, the other process takes their feedback.
      process.kill(pids[0], 'SIGKILL');
      // Once the primary has seen the exit, it hands new connections only to the live worker.
      await until(() => out.includes('worker exited; starting another'), 'the primary saw the worker exit');
      for (const id of ids) {
        const res = await post(port, '/api/v1/feedback', { answerId: id, helpful: true });
        assert.equal(res.status, 202, `feedback on ${id}: ${JSON.stringify(res.body)}`);
      }
      // The primary starts a new worker in place of the killed one.
      await until(() => readyPids().length >= 3, 'a replacement worker ready');
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => (child.exitCode !== null ? resolve(undefined) : child.once('exit', resolve)));
      rmSync(data, { recursive: true, force: true });
    }
    assert.equal(child.exitCode, 0, out.split('\n').slice(-5).join('\n'));
  });
});
