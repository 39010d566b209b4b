/** Development: reload the content when a file under the content folder changes (CONTENT_WATCH, `npm run dev`). */
import { watch } from 'node:fs';

/** How long the folder must be quiet before reloading: an editor's save is several events, a `git checkout` many. */
export const WATCH_QUIET_MS = 300;

/** Calls `onChange` once the folder has been quiet for `quietMs` after a change; returns a function that stops watching. */
export function watchContent(dir: string, onChange: () => void, logger: { info(obj: object, msg: string): void }, quietMs = WATCH_QUIET_MS): () => void {
  let timer: NodeJS.Timeout | undefined;
  const watcher = watch(dir, { recursive: true, persistent: false }, (_event, file) => {
    if (file && !/\.(md|ya?ml)$/.test(String(file))) return;
    clearTimeout(timer);
    timer = setTimeout(onChange, quietMs);
  });
  logger.info({ dir }, 'content: watching for changes');
  return () => {
    clearTimeout(timer);
    watcher.close();
  };
}
