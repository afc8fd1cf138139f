import type { FastifyRequest } from 'fastify';
import type { FormFields } from '../form-fields.js';
import { html, type SafeHtml } from '../html.js';

/**
 * What the Growth page's forms share. A refused form is shown again on the whole Growth page
 * (GrowthScope.page in routes/growth.ts): the route keeps the refusal for its request here, and the
 * section that owns the form reads it back while the page is drawn — each problem beside its field,
 * what was typed kept.
 */
export interface RefusedForm<F extends string> {
  /** Which of the section's forms was refused. */
  form: F;
  /** Each problem under its field's name. */
  errors: Record<string, string>;
  typed: FormFields;
  /** The refusal in words, when it says more than the fields do. */
  message?: string;
}

/** One section's refused forms, per request. */
export function refusedForms<F extends string>(): {
  show(req: FastifyRequest, state: RefusedForm<F>): void;
  of(req: FastifyRequest): RefusedForm<F> | undefined;
} {
  const kept = new WeakMap<FastifyRequest, RefusedForm<F>>();
  return { show: (req, state) => void kept.set(req, state), of: (req) => kept.get(req) };
}

/** A typed value as text (a repeated field counts as none). */
export const typedText = (v: string | string[] | undefined): string => (typeof v === 'string' ? v : '');

/** The attributes that tie a field to its problem (fieldError's `<field>-error`), when it has one. */
export function invalid(errors: Record<string, string>, field: string): SafeHtml | '' {
  return errors[field] ? html`aria-invalid="true" aria-describedby="${field}-error"` : '';
}
