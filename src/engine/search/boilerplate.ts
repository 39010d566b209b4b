/**
 * What a section's example output shares with every log and no topic owns: traceback frame lines, HTTP
 * response headers and timestamps. A pasted log has them too (its own dates, its own headers), so,
 * indexed, they would match any traceback or HTTP dump as if it were the section's error. (The question's
 * side drops header dumps and library source lines in `understand/reading.ts`'s `dropBoilerplate`.)
 */
const FRAME_LINE = /^[ \t]*(?:Traceback \(most recent call last\):|File "[^"\n]*", line \d+[^\n]*)$/gm;
/** `'Name': 'value'` pairs of HTTP response headers (as requests and the v1 SDK print them), quoted or escaped. */
const HEADER_PAIR =
  /\\?['"](?:Date|Content-Type|Content-Length|Transfer-Encoding|Connection|Strict-Transport-Security|Cache-Control|Server|Request-Context|api-supported-versions|x-ms-[\w-]+)\\?['"]\s*:\s*\\?['"][^'"\\]*\\?['"],?/gi;
const MONTH = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
const RFC_DATE = new RegExp(`\\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun),\\s+\\d{1,2}\\s+${MONTH}\\s+\\d{4}(?:\\s+\\d{2}:\\d{2}:\\d{2})?(?:\\s+GMT)?`, 'g');
const ISO_TIME = /\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?/g;

/** Example output without the lines and fragments every log shares. */
export function withoutBoilerplate(code: string): string {
  return code.replace(FRAME_LINE, '').replace(HEADER_PAIR, '').replace(RFC_DATE, '').replace(ISO_TIME, '');
}
