import { LANGS, isLang, type Lang } from '../../engine/types.ts';
import { HttpProblem, type FieldIssue } from './problem.ts';

/** Collects field issues while reading an input object; `done()` throws one 422 listing them all. */
export class FieldReader {
  readonly issues: FieldIssue[] = [];
  private readonly input: Record<string, unknown>;

  constructor(
    input: unknown,
    private readonly fromQuery = false,
  ) {
    this.input = typeof input === 'object' && input !== null && !Array.isArray(input) ? (input as Record<string, unknown>) : {};
    if (this.input !== input && !fromQuery) this.issues.push({ field: '(body)', code: 'type', params: { type: 'object' } });
  }

  /** A string field; trimmed; `required` refuses absent and blank values; no `maxLength` means any length. */
  string(field: string, opts: { required?: boolean; maxLength?: number }): string | undefined {
    const value = this.input[field];
    if (value === undefined || value === null) {
      if (opts.required) this.issues.push({ field, code: 'required' });
      return undefined;
    }
    if (typeof value !== 'string') {
      this.issues.push({ field, code: 'type', params: { type: 'string' } });
      return undefined;
    }
    const trimmed = value.trim();
    if (trimmed === '') {
      this.issues.push({ field, code: 'empty' });
      return undefined;
    }
    if (opts.maxLength !== undefined && trimmed.length > opts.maxLength) {
      this.issues.push({ field, code: 'maxLength', params: { max: opts.maxLength } });
      return undefined;
    }
    return trimmed;
  }

  /** An optional `en` | `ko` | `zh` field. */
  lang(field = 'lang'): Lang | undefined {
    const value = this.input[field];
    if (value === undefined || (this.fromQuery && value === '')) return undefined;
    if (!isLang(value)) {
      this.issues.push({ field, code: 'enum', params: { values: LANGS.join(', ') } });
      return undefined;
    }
    return value;
  }

  /** A boolean field (JSON true/false only: "true" as a string is refused). */
  boolean(field: string, opts: { required?: boolean }): boolean | undefined {
    const value = this.input[field];
    if (value === undefined || value === null) {
      if (opts.required) this.issues.push({ field, code: 'required' });
      return undefined;
    }
    if (typeof value !== 'boolean') {
      this.issues.push({ field, code: 'type', params: { type: 'boolean' } });
      return undefined;
    }
    return value;
  }

  /** An optional integer within [min, max]; query values are decimal strings. */
  integer(field: string, opts: { min: number; max: number }): number | undefined {
    let value = this.input[field];
    if (value === undefined || value === null || (this.fromQuery && value === '')) return undefined;
    if (this.fromQuery && typeof value === 'string' && /^-?\d{1,15}$/.test(value)) value = Number(value);
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      this.issues.push({ field, code: 'type', params: { type: 'integer' } });
      return undefined;
    }
    if (value < opts.min || value > opts.max) {
      this.issues.push({ field, code: 'range', params: { min: opts.min, max: opts.max } });
      return undefined;
    }
    return value;
  }

  /** Adds an issue found by a check beyond the field's shape (unknown topic, unknown answer). */
  add(issue: FieldIssue): void {
    this.issues.push(issue);
  }

  /** Throws a 422 problem when any field was refused. */
  done(): void {
    if (this.issues.length) throw new HttpProblem('validation', { count: this.issues.length }, this.issues);
  }
}
