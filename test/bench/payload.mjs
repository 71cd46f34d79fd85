/**
 * The MeterValues request every round trip sends: one meterValue with four sampled values
 * (energy register, power, current, state of charge) shaped like the ones ev-sim's stations send
 * (src/meter/sampling.ts), valid against the OCA 1.6 schema.
 */

/** A fresh MeterValues payload for call number `n` of a connection (timestamp and readings change). */
export function meterValuesPayload(n) {
  const wh = 1_000_000 + n * 3;
  return {
    connectorId: 1,
    transactionId: 1,
    meterValue: [
      {
        timestamp: new Date().toISOString(),
        sampledValue: [
          { value: String(wh), context: 'Sample.Periodic', measurand: 'Energy.Active.Import.Register', unit: 'Wh' },
          { value: '11040.0', context: 'Sample.Periodic', measurand: 'Power.Active.Import', unit: 'W' },
          { value: '16.0', context: 'Sample.Periodic', measurand: 'Current.Import', unit: 'A', phase: 'L1' },
          { value: String(20 + (n % 80)), context: 'Sample.Periodic', measurand: 'SoC', location: 'EV', unit: 'Percent' },
        ],
      },
    ],
  };
}
