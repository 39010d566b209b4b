/** Worker thread entry: parses and validates a content folder off the main thread (live reload); posts ParsedContent. */
import { parentPort, workerData } from 'node:worker_threads';
import { parseContent } from './snapshot.ts';

parentPort!.postMessage(parseContent((workerData as { dir: string }).dir));
