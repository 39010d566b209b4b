import express, { type RequestHandler, type Response } from 'express';
import { BODY_LIMIT_BYTES, HttpProblem } from '../problem.ts';

// requireJson has checked the type already; the parser need not parse the Content-Type again.
const parse = express.json({ limit: BODY_LIMIT_BYTES, strict: true, type: () => true });

/**
 * 413 at once, before any byte of the body is read, when Content-Length declares more than `limit`:
 * the body parser would read (and discard) the whole body first. The connection is closed after the
 * answer, since the rest of the body is never read.
 */
export function refuseDeclaredOversize(limit: number): RequestHandler {
  return (req, res, next) => {
    if (Number(req.headers['content-length']) <= limit || req.headers['content-length'] === undefined) return next();
    res.setHeader('Connection', 'close');
    next(new HttpProblem('tooLarge', { limit }));
  };
}

const declaredSize = refuseDeclaredOversize(BODY_LIMIT_BYTES);

/** 415 unless the body is declared JSON, then parses it (400 malformed, 413 over 64 KB). */
export const requireJson: RequestHandler = (req, res, next) => {
  if (!req.is('application/json')) return next(new HttpProblem('unsupportedMediaType'));
  declaredSize(req, res, (err?: unknown) => (err ? next(err) : parse(req, res, next)));
};

/**
 * Sends 200 with a JSON body made of a short per-response head and a long shared tail that is already
 * UTF-8: nothing is re-encoded or copied, and headers, head and tail leave in one write.
 * The headers are the ones `res.type('application/json').send(string)` would set.
 */
export function sendJsonParts(res: Response, head: string, tail: Buffer): void {
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(head) + tail.length);
  // end() uncorks, so the head does not go out in a write of its own.
  res.cork();
  res.write(head);
  res.end(tail);
}
