/**
 * Frames a CSMS must reject without dropping the charger: text that is not JSON, a CALL without its
 * action and payload, an action nobody defined, and a payload field of the wrong type. Each must be
 * answered with the CALLERROR code OCPP-J 1.6 §4.2.3 gives for it, and the connection must keep working
 * (a Heartbeat afterwards is answered).
 *
 * §4.2.3 codes: FormationViolation = "payload syntactically incorrect or not conform the PDU structure",
 * ProtocolError = "payload incomplete", NotImplemented = "requested Action is not known",
 * TypeConstraintViolation = "a field violates data type constraints (e.g. "somestring": 12)".
 * OCPP-J 1.6 names no code for a frame whose message id cannot be read; OCPP-J 2.0.1 added
 * RpcFrameworkError for exactly that ("not a valid RPC request"), and multi-version stacks (ocpp-rpc,
 * which answers any unparseable frame or broken array with it, id "-1") send it on 1.6 connections too.
 * The two malformed-frame cases accept it as the equivalent and say so in the reason. For a wrong field
 * type ocpp-rpc's strict mode answers TypeConstraintViolation, exactly §4.2.3's example.
 */
import { heartbeat } from '../ocpp/payloads.js';
import type { ConformanceCase } from './case.js';
import { fail, pass } from './types.js';

const CALLRESULT = 3;
const CALLERROR = 4;
const PROBE_ID = 'cf-probe-1';

interface Probe {
  id: string;
  title: string;
  /** The frame sent, as text. */
  frame: string;
  /** True when the frame's message id is readable, so the reply must carry it. */
  idReadable: boolean;
  /** CALLERROR codes that pass. */
  expected: readonly string[];
  /** Codes that pass with a remark in the reason. */
  tolerated?: Readonly<Record<string, string>>;
}

const RPC_FRAMEWORK_NOTE = 'RpcFrameworkError is the OCPP-J 2.0.1 code for this; OCPP-J 1.6 would say FormationViolation';

const PROBES: readonly Probe[] = [
  {
    id: 'frame-not-json',
    title: 'A frame that is not JSON gets CALLERROR FormationViolation or ProtocolError',
    frame: '[2,"cf-probe-1","Heartbeat",{} this is not JSON',
    idReadable: false,
    expected: ['FormationViolation', 'ProtocolError'],
    tolerated: { RpcFrameworkError: RPC_FRAMEWORK_NOTE },
  },
  {
    id: 'frame-bad-shape',
    title: 'A CALL array without action and payload gets CALLERROR FormationViolation or ProtocolError',
    frame: JSON.stringify([2, PROBE_ID]),
    idReadable: false,
    expected: ['FormationViolation', 'ProtocolError'],
    tolerated: { RpcFrameworkError: RPC_FRAMEWORK_NOTE },
  },
  {
    id: 'call-unknown-action',
    title: 'A CALL with an unknown action gets CALLERROR NotImplemented',
    frame: JSON.stringify([2, PROBE_ID, 'EvSimNoSuchAction', {}]),
    idReadable: true,
    expected: ['NotImplemented'],
  },
  {
    id: 'call-wrong-payload-type',
    title: 'A CALL whose payload has a field of the wrong type gets CALLERROR TypeConstraintViolation or FormationViolation',
    frame: JSON.stringify([2, PROBE_ID, 'Authorize', { idTag: 12345 }]),
    idReadable: true,
    expected: ['TypeConstraintViolation', 'FormationViolation'],
  },
];

const isReply = (frame: unknown): frame is unknown[] =>
  Array.isArray(frame) && (frame[0] === CALLRESULT || frame[0] === CALLERROR);

function codeProblem(probe: Probe, reply: unknown[]): string | null {
  if (reply[0] === CALLRESULT) return `answered with CALLRESULT; expected CALLERROR ${probe.expected.join(' or ')}`;
  if (probe.idReadable && reply[1] !== PROBE_ID) return `the CALLERROR carries message id ${JSON.stringify(reply[1])}, not the CALL's "${PROBE_ID}"`;
  const code = String(reply[2]);
  if (probe.expected.includes(code) || probe.tolerated?.[code]) return null;
  return `answered CALLERROR ${code}; OCPP-J 1.6 §4.2.3 calls for ${probe.expected.join(' or ')}`;
}

function probeCase(probe: Probe): ConformanceCase {
  return {
    id: probe.id,
    title: probe.title,
    reference: 'OCPP-J 1.6 §4.2.3',
    run: async (ctx) => {
      const st = ctx.station();
      await st.ready();
      const replied = st.waitForFrame(isReply, ctx.callTimeoutMs);
      st.sendRaw(probe.frame);
      const reply = await replied;
      if (reply === undefined) {
        return fail(st.isOpen() ? `no CALLERROR within ${ctx.callTimeoutMs / 1000} s` : 'the CSMS closed the connection instead of answering');
      }
      const problem = codeProblem(probe, reply as unknown[]);
      if (problem) return fail(problem);
      if (!st.isOpen()) return fail('the CSMS closed the connection after answering');
      await st.request('Heartbeat', heartbeat());
      const code = String((reply as unknown[])[2]);
      const remark = probe.tolerated?.[code] ? ` (${probe.tolerated[code]})` : '';
      return pass(`CALLERROR ${code}${remark}; the connection still works (Heartbeat answered)`);
    },
  };
}

export const FRAMING_CASES: readonly ConformanceCase[] = PROBES.map(probeCase);
