/**
 * The scenario `ev-sim init` writes: valid as it stands, every section explained, and sized to finish
 * against the embedded CSMS in under a minute with about ten stations and a few dozen sessions.
 */
export const STARTER_SCENARIO = `# yaml-language-server: $schema=./scenario.schema.json
#
# An ev-sim scenario: a fleet of virtual OCPP 1.6J charge points and the charging sessions they run.
# Check it with \`ev-sim validate <file>\`, run it with \`ev-sim run <file>\`.
#
# Durations are seconds (30) or strings with units d, h, m, s, ms, largest first: 500ms, 30s, 5m, 1h30m.
# Every key except version and name is optional; leaving one out uses its default.

version: 1                    # scenario format version (always 1)
name: starter                 # names the run in reports: letters, digits, . _ -
seed: 42                      # same seed, same arrivals, cars and idTags: runs are reproducible

# The CSMS under test. Without a url, ev-sim starts its embedded reference CSMS and tests against it.
target:
  # url: ws://127.0.0.1:9000/ocpp   # your CSMS; each station's identity is appended to the path
  # passwordEnv: CSMS_PASSWORD      # NAME of the env var holding the Basic-auth password (never the password)
  callTimeout: 30s            # wall time before an unanswered call counts as a timeout
  validate: true              # check every payload both ways against the OCPP 1.6 JSON schemas

# The charge points.
fleet:
  stations: 10
  identity: "EVSIM-{index:4}" # {index} or {index:N} (zero-padded) is the station number: EVSIM-0001...
  vendor: ev-sim              # chargePointVendor / chargePointModel / firmwareVersion in BootNotification
  model: virtual-cp
  firmwareVersion: 0.1.0
  heartbeatInterval: 5m       # until the CSMS sets its own interval in the BootNotification reply
  connectors:                 # every station gets these; \`connectors: 2\` means two Type2 22 kW
    - Type2                   # presets: Type2 (22 kW), Type2-11kW, Type2-7kW, CCS2 (150 kW), CCS2-50kW, CCS2-350kW, CHAdeMO
    - { type: CCS2, maxPowerKw: 150 }   # or spelled out: type Type2/CCS2/CHAdeMO, maxPowerKw, phases (AC: 1 or 3)
  # configuration:            # initial OCPP configuration keys of every station (the offline retry policy here)
  #   TransactionMessageAttempts: 5
  #   TransactionMessageRetryInterval: 30

# When cars arrive and what they do. Times here are simulated time (see timeScale).
sessions:
  arrivalsPerHour: 3          # mean arrivals per connector per hour (Poisson)
  # hourlyProfile: [...]      # optional: 24 relative weights, one per hour of the simulated day
  plugDuration: { min: 5m, max: 15m }   # uniform; or { dist: lognormal, median: 3.4h, sigma: 0.9, min: 5m, max: 12h }; or one value
  arrivalSoc: { min: 0.1, max: 0.5 }    # battery state of charge on arrival, 0..1
  targetSoc: { min: 0.8, max: 1.0 }     # the car stops drawing power here but stays plugged in
  idTags:
    known: { pattern: "EVSIM-TAG-{n:3}", count: 20 }   # tags the CSMS accepts; or a list: [TAG-1, TAG-2]
    blocked: [EVSIM-BLOCKED-01]                        # tags the CSMS knows and blocks
    unknownShare: 0.05        # share of arrivals presenting a tag the CSMS has never seen
    blockedShare: 0.05        # share of arrivals presenting a blocked tag
  faultsPerHour: 0            # connector faults (status Faulted) per connector per hour; 0 disables
  faultRecovery: 2m           # how long a faulted connector stays Faulted

# The cars: relative weights of built-in profiles (city, midsize, longrange, van) and your own.
vehicles:
  mix: { city: 2, midsize: 5, longrange: 2, van: 1 }
  # custom:
  #   - { name: truck, batteryKwh: 300, onboardChargerKw: 22, acPhases: 3, dcMaxKw: 350,
  #       dcCurve: [[0, 1], [0.6, 0.8], [0.8, 0.4], [1, 0.05]] }   # [soc, share of dcMaxKw], soc 0 → 1

# MeterValues the stations send.
meter:
  sampleInterval: 60s         # MeterValueSampleInterval (whole seconds); 0 disables periodic samples
  clockAlignedInterval: 0     # ClockAlignedDataInterval (whole seconds); 0 disables
  measurands: [Energy.Active.Import.Register, Power.Active.Import, SoC]
  alignedMeasurands: [Energy.Active.Import.Register]

rampUp: { stationsPerSecond: 10 }   # how fast stations connect at the start (per wall second)
duration: 40m                 # simulated time during which cars arrive; running sessions are then stopped
gracePeriod: 10s              # wall time to wait for the last replies
timeScale: 60                 # simulated time runs 60× wall time: 40 simulated minutes take 40 s

# Faults, pass/fail thresholds and reconciliation: remove the "# " in front of a block to use it.
# A fault starts \`at\` simulated time after the start of the run; stations: all (the default),
# { share: 0.3 }, { list: [EVSIM-0001] }, { pattern: "EVSIM-00*" } or { group: <name under groups> }.
# groups:                     # named station selections that faults can refer to
#   depot: { list: [EVSIM-0001, EVSIM-0002] }
# faults:
#   - { kind: partition, at: 10m, duration: 5m, mode: refuse, stations: { share: 0.3 } }   # mode refuse or blackhole
#   - { kind: flapping, at: 20m, duration: 4m, down: 20s, up: 40s, stations: { group: depot } }
#   - { kind: latency, at: 0, duration: 40m, ms: 200, jitter: 50ms }    # every frame 200 ± 50 ms later
#   - { kind: loss, at: 5m, duration: 2m, share: 0.1, direction: toStation }   # 10 % of frames vanish
#   - { kind: outage, at: 30m, duration: 1m }                          # the CSMS is down for everyone
#   - { kind: reboot, at: 25m, keepQueue: false, stations: { list: [EVSIM-0003] } }   # power cycle; queue lost
# thresholds:                 # the run fails (exit code 99) when one does not hold
#   - "latency.StartTransaction.p95 < 800"   # ms
#   - "sessions.failed < 1%"
# ledger: {}                  # compare the CSMS's own records with the stations': {} = the embedded CSMS's,
#                             # or { url: http://host/transactions, itemsPath: transactions, fields: { transactionId: id } }
`;
