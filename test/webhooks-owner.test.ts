import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, SRC, offenders, sourceFiles, tableWrites } from './helpers/table-owner.js';

/**
 * One owner per webhook table: src/webhooks/endpoints.ts writes `webhook_endpoints` (secrets
 * encrypted with the AAD naming the endpoint, the failure streak); src/webhooks/deliveries/ writes
 * `webhook_events` and `webhook_deliveries` (an event with its deliveries in one transaction, fenced
 * settles). A write anywhere else would skip either.
 */
const ENDPOINTS = path.join(SRC, 'webhooks', 'endpoints.ts');
const DELIVERIES = path.join(SRC, 'webhooks', 'deliveries') + path.sep;

describe('one owner for each webhook table', () => {
  it('no file but webhooks/endpoints.ts writes webhook_endpoints', () => {
    const files = sourceFiles(SRC).filter((f) => f !== ENDPOINTS && !f.startsWith(MIGRATIONS));
    expect(offenders(files, tableWrites('webhook_endpoints'))).toEqual([]);
  });

  it('no file outside webhooks/deliveries/ writes webhook_events or webhook_deliveries', () => {
    const files = sourceFiles(SRC).filter((f) => !f.startsWith(DELIVERIES) && !f.startsWith(MIGRATIONS));
    expect(offenders(files, tableWrites('webhook_events'))).toEqual([]);
    expect(offenders(files, tableWrites('webhook_deliveries'))).toEqual([]);
  });
});
