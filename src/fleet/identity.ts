import type { FleetConfig } from '../scenario/types.js';
import type { StationSpec } from '../station/types.js';

const INDEX_TOKEN = /\{index(?::(\d+))?\}/g;

/** Expands an identity pattern such as `EVSIM-{index:4}` for a 1-based station index. */
export function stationIdentity(pattern: string, index: number): string {
  return pattern.replace(INDEX_TOKEN, (_m, width?: string) =>
    width ? String(index).padStart(Number(width), '0') : String(index),
  );
}

/** The hardware description of station `index` (1-based). */
export function stationSpec(fleet: FleetConfig, index: number): StationSpec {
  return {
    identity: stationIdentity(fleet.identity, index),
    index,
    vendor: fleet.vendor,
    model: fleet.model,
    firmwareVersion: fleet.firmwareVersion,
    serialNumber: `EVSIM${String(index).padStart(8, '0')}`,
    connectors: fleet.connectors,
  };
}
