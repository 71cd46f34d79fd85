/**
 * One station's OCPP 1.6 configuration: GetConfiguration / ChangeConfiguration semantics, typed
 * accessors, and listeners that hear about every accepted change.
 */
import type { Measurand } from '../scenario/types.js';
import { KEY_DEFS, KEY_INDEX, initialValues, normaliseValue, type InitialConfig } from './config-keys.js';

export type ConfigurationStatus = 'Accepted' | 'Rejected' | 'RebootRequired' | 'NotSupported';

export interface KeyValue {
  key: string;
  readonly: boolean;
  value: string;
}

export interface GetConfigurationConf {
  configurationKey: KeyValue[];
  unknownKey?: string[];
}

export type ConfigListener = (key: string, value: string) => void;

export interface ConfigStore {
  /** The value of a known key, else undefined. */
  get(key: string): string | undefined;
  /** Integer value of a known integer key (0 if unset). */
  getInt(key: string): number;
  getBool(key: string): boolean;
  /** Measurand list of a measurand key (cached until the key changes). */
  getMeasurands(key: string): readonly Measurand[];
  /** GetConfiguration: every key when `keys` is empty or absent, else the named ones + unknownKey. */
  getConfiguration(keys?: readonly string[]): GetConfigurationConf;
  /** ChangeConfiguration as the CSMS asks it: readonly keys and invalid values are Rejected. */
  change(key: string, value: string): ConfigurationStatus;
  /** Sets a key from inside the station (readonly keys allowed); false if the value is invalid. */
  set(key: string, value: string): boolean;
  onChange(listener: ConfigListener): void;
}

export function createConfigStore(init: InitialConfig): ConfigStore {
  return new StationConfig(initialValues(init));
}

const indexOf = (key: string): number => KEY_INDEX.get(key) ?? -1;

/** A class rather than closures: thousands of stations share its methods. */
class StationConfig implements ConfigStore {
  /** Parsed measurand lists by key index, dropped when the key changes. */
  private lists: Map<number, readonly Measurand[]> | null = null;
  private readonly listeners: ConfigListener[] = [];

  constructor(private readonly values: string[]) {}

  get(key: string): string | undefined {
    const i = indexOf(key);
    return i < 0 ? undefined : this.values[i];
  }

  getInt(key: string): number {
    const i = indexOf(key);
    return i < 0 ? 0 : Number(this.values[i]) || 0;
  }

  getBool(key: string): boolean {
    const i = indexOf(key);
    return i >= 0 && this.values[i] === 'true';
  }

  getMeasurands(key: string): readonly Measurand[] {
    const i = indexOf(key);
    if (i < 0) return [];
    this.lists ??= new Map();
    let list = this.lists.get(i);
    if (!list) {
      list = this.values[i] === '' ? [] : (this.values[i].split(',') as Measurand[]);
      this.lists.set(i, list);
    }
    return list;
  }

  getConfiguration(keys?: readonly string[]): GetConfigurationConf {
    if (!keys || keys.length === 0) return { configurationKey: KEY_DEFS.map((_, i) => this.entry(i)) };
    const configurationKey: KeyValue[] = [];
    const unknownKey: string[] = [];
    for (const key of keys) {
      const i = indexOf(key);
      if (i < 0) unknownKey.push(key);
      else configurationKey.push(this.entry(i));
    }
    return unknownKey.length > 0 ? { configurationKey, unknownKey } : { configurationKey };
  }

  change(key: string, value: string): ConfigurationStatus {
    const i = indexOf(key);
    if (i < 0) return 'NotSupported';
    if (KEY_DEFS[i].readonly) return 'Rejected';
    return this.store(i, value) ? 'Accepted' : 'Rejected';
  }

  set(key: string, value: string): boolean {
    const i = indexOf(key);
    return i >= 0 && this.store(i, value);
  }

  onChange(listener: ConfigListener): void {
    this.listeners.push(listener);
  }

  private store(index: number, value: string): boolean {
    const normalised = normaliseValue(KEY_DEFS[index].kind, value);
    if (normalised === null) return false;
    if (normalised === this.values[index]) return true;
    this.values[index] = normalised;
    this.lists?.delete(index);
    for (const listener of this.listeners) listener(KEY_DEFS[index].key, normalised);
    return true;
  }

  private entry(index: number): KeyValue {
    return { key: KEY_DEFS[index].key, readonly: KEY_DEFS[index].readonly, value: this.values[index] };
  }
}

/**
 * Applies initial values of configuration keys (the scenario's fleet.configuration). Throws an Error
 * naming the key for an unknown or read-only key or an invalid value.
 */
export function applyConfiguration(config: ConfigStore, values: Readonly<Record<string, string>> | undefined): void {
  for (const [key, value] of Object.entries(values ?? {})) {
    const i = indexOf(key);
    if (i < 0) throw new Error(`configuration key '${key}' is not supported`);
    if (KEY_DEFS[i].readonly) throw new Error(`configuration key '${key}' is read-only`);
    if (!config.set(key, String(value))) throw new Error(`configuration key '${key}': invalid value '${value}'`);
  }
}
