/**
 * The real server as a child process (`node --import tsx src/main.ts`), and a mixed /ask + /feedback
 * load that remembers every id the server acknowledged, so a fault test can count what was lost.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Store } from '../../src/store/index.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** A started server: its base URL, its process and what it logged. */
export interface RunningServer {
  url: string;
  proc: ChildProcess;
  logs: string[];
  /** Sends the signal and resolves with the exit code (or the signal name) once the process is gone. */
  stop(signal: NodeJS.Signals): Promise<number | string>;
}

/** Starts src/main.ts on a free port with `env` over a quiet default; resolves once /readyz says ready. */
export async function startServer(env: Record<string, string>, timeoutMs = 90_000): Promise<RunningServer> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', RATE_LIMIT_MAX: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const exited = new Promise<number | string>((done) => proc.once('exit', (code, signal) => done(code ?? signal ?? 'unknown')));
  const port = await new Promise<number>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`server did not listen within ${timeoutMs} ms:\n${logs.join('')}`)), timeoutMs);
    let buffer = '';
    proc.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        logs.push(line + '\n');
        const listening = /listening on http:\/\/localhost:(\d+)/.exec(line);
        if (listening) {
          clearTimeout(timer);
          done(Number(listening[1]));
        }
      }
    });
    proc.stderr.on('data', (chunk: Buffer) => logs.push(chunk.toString('utf8')));
    void exited.then((code) => fail(new Error(`server exited (${code}) before listening:\n${logs.join('')}`)));
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  while (
    (await fetch(`${url}/readyz`).then(
      (r) => r.status,
      () => 0,
    )) !== 200
  ) {
    if (Date.now() > deadline) throw new Error(`server not ready within ${timeoutMs} ms:\n${logs.join('')}`);
    await new Promise((next) => setTimeout(next, 100));
  }
  return {
    url,
    proc,
    logs,
    stop(signal) {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      return exited;
    },
  };
}

/** One response: status and the id it acknowledged (answer id for /ask, feedback id for /feedback). */
export interface Reply {
  status: number;
  id?: string;
  retryAfter?: string | null;
}

const QUESTIONS = ['OutOfQuota CPU quota exceeded', 'ImageBuildFailure on deployment', 'how do I bake bread', 'CrashLoopBackOff scoring container'];

/** POST /api/v1/ask; status 0 when the connection failed. */
export async function ask(url: string, i = 0): Promise<Reply> {
  try {
    const res = await fetch(`${url}/api/v1/ask`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ question: QUESTIONS[i % QUESTIONS.length], lang: 'en' }),
    });
    const body = (await res.json()) as { answer?: { id?: string } };
    return { status: res.status, id: res.status === 200 ? body.answer?.id : undefined, retryAfter: res.headers.get('retry-after') };
  } catch {
    return { status: 0 };
  }
}

/** POST /api/v1/feedback on `answerId`; status 0 when the connection failed. */
export async function feedback(url: string, answerId: string, helpful: boolean): Promise<Reply> {
  try {
    const res = await fetch(`${url}/api/v1/feedback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ answerId, helpful, comment: 'fault test' }),
    });
    const body = (await res.json()) as { id?: string };
    return { status: res.status, id: res.status === 202 ? body.id : undefined, retryAfter: res.headers.get('retry-after') };
  } catch {
    return { status: 0 };
  }
}

/** What a load run saw: acknowledged ids, and how many replies had each status. */
export interface LoadResult {
  answers: string[];
  feedback: string[];
  statuses: Record<number, number>;
}

/**
 * `workers` loops of ask-then-maybe-feedback until `until()` is true. Each ask goes to urls[i % n] and
 * its feedback to the next url, so with two replicas feedback lands on the one that did not answer.
 */
export async function mixedLoad(urls: string[], workers: number, until: () => boolean): Promise<LoadResult> {
  const result: LoadResult = { answers: [], feedback: [], statuses: {} };
  const count = (r: Reply) => void (result.statuses[r.status] = (result.statuses[r.status] ?? 0) + 1);
  let n = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (!until()) {
        const i = n++;
        const a = await ask(urls[i % urls.length], i);
        count(a);
        if (a.status === 0) await new Promise((next) => setTimeout(next, 20));
        if (a.id) result.answers.push(a.id);
        if (i % 2 === 0 && result.answers.length > 0) {
          const target = result.answers[(i * 7919) % result.answers.length];
          const f = await feedback(urls[(i + 1) % urls.length], target, i % 4 === 0);
          count(f);
          if (f.id) result.feedback.push(f.id);
        }
      }
    }),
  );
  return result;
}

export const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** How many acknowledged ids the store does not have. */
export async function lost(store: Store, load: LoadResult): Promise<{ answers: number; feedback: number }> {
  let answers = 0;
  let votes = 0;
  for (const id of load.answers) if (!(await store.getAnswer(id))) answers++;
  for (const id of load.feedback) if (!(await store.getFeedback(id))) votes++;
  return { answers, feedback: votes };
}
