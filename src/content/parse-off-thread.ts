/** Parses a content folder in a worker thread, so a reload does not hold up the requests being served meanwhile. */
import { Worker } from 'node:worker_threads';
import type { ParsedContent } from './snapshot.ts';

/** Returns a parser that runs `workerFile` (dist/content-worker.js, compiled JavaScript) once per call; the result comes back as a structured clone. */
export function workerParser(workerFile: string | URL): (dir: string) => Promise<ParsedContent> {
  return (dir) =>
    new Promise((resolve, reject) => {
      const worker = new Worker(workerFile, { workerData: { dir } });
      let result: ParsedContent | undefined;
      worker.once('message', (parsed: ParsedContent) => (result = parsed));
      worker.once('error', reject);
      worker.once('exit', (code) => (result ? resolve(result) : reject(new Error(`content: the parsing worker exited with ${code} and no result`))));
    });
}
