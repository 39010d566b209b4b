/**
 * The engine's understand stage as the support side uses it: what a question says (its language, error
 * statements and codes), so a ticket carries the question as read and the dashboard groups gaps by it.
 */
import { createUnderstander } from '../engine/index.ts';
import type { Lang, Topic } from '../engine/types.ts';

/** A question as the engine reads it. */
export interface Reading {
  lang: Lang;
  title: string;
  /** Error statements, in the order they appear. */
  statements: string[];
  /** Catalog error codes and statuses, most specific first. */
  codes: string[];
}

/** Reads a question; `lang` is the asker's when known. */
export type Reader = (text: string, lang?: Lang) => Reading;

/**
 * Builds a reader over the catalog's topics (`kb.topics`, or catalog.yaml parsed alone). Only the understand
 * stage (the same one `createPipeline(kb).understander` is), without a second search index or content parse.
 */
export function createReader(topics: Topic[]): Reader {
  const understander = createUnderstander(topics);
  return (text, lang) => {
    const q = understander.understand(text, lang);
    return { lang: q.lang, title: q.title, statements: q.statements, codes: q.codes };
  };
}
