import { describe, expect, it } from 'vitest';
import { createConfigStore } from '../src/station/config-store.js';

const store = () =>
  createConfigStore({
    connectors: 2,
    heartbeatIntervalS: 300,
    meter: {
      sampleIntervalMs: 60_000,
      clockAlignedIntervalMs: 900_000,
      measurands: ['Energy.Active.Import.Register', 'SoC'],
      alignedMeasurands: ['Energy.Active.Import.Register'],
    },
  });

describe('station configuration store', () => {
  it('starts from the scenario values (intervals in seconds)', () => {
    const config = store();
    expect(config.get('HeartbeatInterval')).toBe('300');
    expect(config.get('MeterValueSampleInterval')).toBe('60');
    expect(config.get('ClockAlignedDataInterval')).toBe('900');
    expect(config.get('NumberOfConnectors')).toBe('2');
    expect(config.getMeasurands('MeterValuesSampledData')).toEqual(['Energy.Active.Import.Register', 'SoC']);
    expect(config.get('NoSuchKey')).toBeUndefined();
  });

  it('normalises accepted values and rejects invalid ones', () => {
    const config = store();
    expect(config.change('StopTransactionOnInvalidId', 'FALSE')).toBe('Accepted');
    expect(config.getBool('StopTransactionOnInvalidId')).toBe(false);
    expect(config.change('MeterValueSampleInterval', ' 015 ')).toBe('Accepted');
    expect(config.getInt('MeterValueSampleInterval')).toBe(15);
    expect(config.change('MeterValueSampleInterval', '-5')).toBe('Rejected');
    expect(config.change('MeterValueSampleInterval', '1.5')).toBe('Rejected');
    expect(config.change('MeterValuesSampledData', 'SoC, Voltage')).toBe('Accepted');
    expect(config.get('MeterValuesSampledData')).toBe('SoC,Voltage');
    expect(config.getMeasurands('MeterValuesSampledData')).toEqual(['SoC', 'Voltage']);
    expect(config.change('MeterValuesAlignedData', 'Voltage,Bogus')).toBe('Rejected');
    expect(config.change('MeterValuesAlignedData', '')).toBe('Accepted');
    expect(config.getMeasurands('MeterValuesAlignedData')).toEqual([]);
    expect(config.change('ConnectorPhaseRotation', '0.RST,1.RTS,2.NotApplicable')).toBe('Accepted');
    expect(config.change('ConnectorPhaseRotation', '1.XYZ')).toBe('Rejected');
  });

  it('readonly keys are Rejected from the CSMS but settable by the station; unknown keys NotSupported', () => {
    const config = store();
    expect(config.change('SupportedFeatureProfiles', 'Core')).toBe('Rejected');
    expect(config.change('Whatever', '1')).toBe('NotSupported');
    expect(config.set('NumberOfConnectors', '3')).toBe(true);
    expect(config.get('NumberOfConnectors')).toBe('3');
    expect(config.set('NumberOfConnectors', 'three')).toBe(false);
  });

  it('tells listeners about real changes only', () => {
    const config = store();
    const heard: string[] = [];
    config.onChange((key, value) => heard.push(`${key}=${value}`));
    config.change('HeartbeatInterval', '300');
    config.change('HeartbeatInterval', 'x');
    config.change('HeartbeatInterval', '60');
    config.set('HeartbeatInterval', '30');
    expect(heard).toEqual(['HeartbeatInterval=60', 'HeartbeatInterval=30']);
  });

  it('GetConfiguration returns requested keys in order and lists unknown ones', () => {
    const config = store();
    expect(config.getConfiguration(['NumberOfConnectors', 'Nope', 'HeartbeatInterval'])).toEqual({
      configurationKey: [
        { key: 'NumberOfConnectors', readonly: true, value: '2' },
        { key: 'HeartbeatInterval', readonly: false, value: '300' },
      ],
      unknownKey: ['Nope'],
    });
    expect(config.getConfiguration().configurationKey).toHaveLength(31);
    expect(config.getConfiguration([]).configurationKey).toHaveLength(31);
  });
});
