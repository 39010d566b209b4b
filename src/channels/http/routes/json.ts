import express, { type RequestHandler } from 'express';
import { BODY_LIMIT_BYTES, HttpProblem } from '../problem.ts';

const parse = express.json({ limit: BODY_LIMIT_BYTES, strict: true });

/** 415 unless the body is declared JSON, then parses it (400 malformed, 413 over 64 KB). */
export const requireJson: RequestHandler = (req, res, next) => {
  if (!req.is('application/json')) return next(new HttpProblem('unsupportedMediaType'));
  parse(req, res, next);
};
