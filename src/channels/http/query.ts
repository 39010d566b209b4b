/**
 * The query string, read strictly: `name=value` pairs, each name once, percent-encoded UTF-8, no `name[]` arrays.
 * Anything else is a 400 problem before a route sees it, rather than a value of a surprising type (an array, a
 * string with U+FFFD in it) reaching a route.
 */
import type { RequestHandler } from 'express';
import { HttpProblem } from './problem.ts';

const MALFORMED = Symbol('malformed query');
type Query = Record<string, string> & { [MALFORMED]?: true };

/** Decodes one name or value (`+` is a space); undefined when its percent-encoding is not UTF-8. */
function decode(part: string): string | undefined {
  try {
    return decodeURIComponent(part.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/** express's `query parser`: a plain object of strings, marked malformed (and empty) when the string breaks a rule above. */
export function parseQuery(text: string | null | undefined): Query {
  const query: Query = Object.create(null) as Query;
  for (const pair of (text ?? '').split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decode(eq < 0 ? pair : pair.slice(0, eq));
    const value = decode(eq < 0 ? '' : pair.slice(eq + 1));
    if (name === undefined || value === undefined || name.includes('[') || Object.hasOwn(query, name)) {
      return Object.assign(Object.create(null) as Query, { [MALFORMED]: true as const });
    }
    query[name] = value;
  }
  return query;
}

/** 400 `badQuery` for a request whose query string `parseQuery` marked malformed. */
export function rejectMalformedQuery(): RequestHandler {
  return (req, _res, next) => {
    // Most requests (POST /ask) carry no query string: nothing to parse.
    if (!req.url.includes('?')) return next();
    next((req.query as Query)[MALFORMED] ? new HttpProblem('badQuery') : undefined);
  };
}
