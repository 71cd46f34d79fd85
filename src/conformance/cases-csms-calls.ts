/**
 * Informational: the calls the CSMS itself sent to the suite's stations during the run (configuration
 * reads, trigger requests, ...), each answered as a simple core-profile charger would (see
 * responder.ts). Runs after every other case; its own station stays connected for a moment after
 * booting, since many CSMSes call a station right after it registers.
 */
import type { ConformanceCase } from './case.js';
import { pass, skipped } from './types.js';

/** Wall ms the case's station stays connected after booting. */
export const LINGER_MS = 1000;
/** Calls listed one by one in the evidence. */
const MAX_LISTED = 25;

const csmsInitiatedCalls: ConformanceCase = {
  id: 'csms-initiated-calls',
  title: 'Calls the CSMS sent to the stations during the run (answered as a simple charger would)',
  reference: 'OCPP 1.6 §5',
  last: true,
  run: async (ctx) => {
    const st = ctx.station();
    await st.ready();
    await ctx.sleep(LINGER_MS);
    const records = ctx.shared.csmsCalls.records;
    if (records.length === 0) return skipped('the CSMS sent no calls to the stations during the run');
    for (const r of records.slice(0, MAX_LISTED)) ctx.note(`${r.station} (${r.caseId}): ${r.action} ${r.payload} → ${r.answer}`);
    if (records.length > MAX_LISTED) ctx.note(`… and ${records.length - MAX_LISTED} more calls`);
    const actions = [...new Set(records.map((r) => r.action))].sort();
    return pass(`${records.length} call${records.length === 1 ? '' : 's'} from the CSMS answered (${actions.join(', ')})`);
  },
};

export const CSMS_CALL_CASES: readonly ConformanceCase[] = [csmsInitiatedCalls];
