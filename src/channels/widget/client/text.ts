/** Inline formatting of engine text without HTML: `code` spans become separate runs rendered with textContent. */

export interface Run {
  code: boolean;
  text: string;
}

/** Splits text into plain and backtick-quoted code runs; an unmatched backtick stays plain text. */
export function inlineRuns(text: string): Run[] {
  const runs: Run[] = [];
  const re = /`([^`]+)`/g;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index > last) runs.push({ code: false, text: text.slice(last, m.index) });
    runs.push({ code: true, text: m[1] });
    last = m.index + m[0].length;
  }
  if (last < text.length) runs.push({ code: false, text: text.slice(last) });
  return runs;
}

export { isSafeUrl } from '../../../render/parts.ts';

/** Path of a topic's article page: /kb/<lang>/<id>, each segment of the id encoded (ids contain '/'). */
export function articlePath(lang: string, topicId: string): string {
  return `kb/${encodeURIComponent(lang)}/${topicId.split('/').map(encodeURIComponent).join('/')}`;
}
