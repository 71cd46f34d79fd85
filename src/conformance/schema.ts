/**
 * Checks the CSMS's replies against the OCA OCPP 1.6J JSON schemas that ship with ocpp-rpc, using
 * ocpp-rpc's own validator (ajv with formats). A reply that breaks its schema is a conformance defect
 * even when the case's own question has the right answer.
 */
import { createRequire } from 'node:module';
import ocppRpc from 'ocpp-rpc';

const { createValidator } = ocppRpc;
/** The OCA schemas as ocpp-rpc ships them (loaded with require: no JSON-module warning on any Node 20). */
const loadSchemas = (): object => createRequire(import.meta.url)('ocpp-rpc/lib/schemas/ocpp1_6.json') as object;

export interface ReplyChecker {
  /** Null when `payload` is a valid `<action>.conf`, else what is wrong with it. */
  violation(action: string, payload: unknown): string | null;
}

export function createReplyChecker(): ReplyChecker {
  const validator = createValidator('ocpp1.6', loadSchemas());
  return {
    violation: (action, payload) => {
      try {
        validator.validate(`urn:${action}.conf`, payload);
        return null;
      } catch (err) {
        const e = err as { rpcErrorCode?: string; message?: string };
        return `${e.rpcErrorCode ?? 'invalid'}: ${e.message ?? String(err)}`;
      }
    },
  };
}
