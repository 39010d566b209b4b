/** 1 MB inputs built to make a regex, a normalizer or a paste cutter work hard (shared by the hostile bench and the fault suite). */
export const MB = 1024 * 1024;
const fill = (unit: string, chars = MB) => unit.repeat(Math.ceil(chars / unit.length)).slice(0, chars);

export const HOSTILE: Record<string, string> = {
  'unclosed "<p " × n': fill('<p '),
  '"<" × n': fill('<'),
  '"<at>" × n (mention stripping)': fill('<at>'),
  '"<p" + spaces, no ">"': `<p${' '.repeat(MB - 2)}`,
  '"<br" + spaces': `<br${' '.repeat(MB - 3)}`,
  '"&amp;" × n': fill('&amp;'),
  '"</p>" × n': fill('</p>'),
  '"x" + "." × n + "x" (command trim)': `x${'.'.repeat(MB - 2)}x`,
  '"/" × n (command lead)': fill('/'),
  'whitespace runs': fill(' \t\n'),
  'U+FDFA × n (NFKC 18×)': fill('\ufdfa'),
  'combining marks only': fill('\u0301'),
  'Hangul jamo L V T': fill('\u1100\u1161\u11a8'),
  'one 1 MB line of "error"': fill('error '),
  'newlines only': fill('\n'),
  '"a\\n" × n (many one-letter lines)': fill('a\n'),
};
