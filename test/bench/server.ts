import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Starts the real server (`src/main.ts`, port 0 on loopback) with `env` over the defaults; resolves once it listens. */
export async function startServer(env: Record<string, string>): Promise<{ proc: ChildProcess & { stdout: NodeJS.ReadableStream }; url: string }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((done, fail) => {
    let out = '';
    proc.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on http:\/\/localhost:(\d+)/.exec(out);
      if (m) done(Number(m[1]));
    });
    proc.once('exit', (code) => fail(new Error(`bench: server exited (${code}) before listening:\n${out}`)));
  });
  return { proc, url: `http://127.0.0.1:${port}` };
}

/** Polls `/readyz` every `everyMs` until it answers 200. */
export async function untilReady(url: string, everyMs: number): Promise<void> {
  const status = () =>
    fetch(`${url}/readyz`).then(
      (r) => r.status,
      () => 0,
    );
  while ((await status()) !== 200) await new Promise((next) => setTimeout(next, everyMs));
}
