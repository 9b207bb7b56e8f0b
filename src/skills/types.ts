/** Value types an input may declare with the `Type` extension key. */
export const INPUT_TYPES = ['string', 'string[]', 'int', 'int[]', 'timespan', 'datetime', 'ip', 'ip[]'] as const;
export type InputType = (typeof INPUT_TYPES)[number];

/**
 * What the prompt mapper may fill an input with (the `Slot` extension key).
 * A new skill gets value extraction without code by declaring slots on its inputs.
 */
export const SLOTS = [
  'lookback', 'startTime', 'endTime',
  'minPort', 'maxPort', 'ports', 'excludePorts',
  'ipTypes', 'remoteIps', 'device',
  'includeProcesses', 'excludeProcesses',
  'actionTypes', 'top',
] as const;
export type Slot = (typeof SLOTS)[number];

/** A value as a hunt stores it: JSON-serialisable; timespans as KQL text ("7d"), datetimes as ISO 8601. */
export type ParamValue = string | number | string[] | number[];

export interface SkillInput {
  name: string;
  description: string;
  required: boolean;
  type: InputType;
  defaultValue?: ParamValue;
  placeholderValue?: string;
  allowedValues?: string[];
  /** Inclusive bounds for int and int[] inputs. */
  min?: number;
  max?: number;
  slot?: Slot;
  /** Inputs this one cannot be combined with; its default applies only when none of them has a value. */
  exclusiveWith: string[];
}

export type Target = 'Defender' | 'Sentinel' | 'LogAnalytics' | 'Kusto';

export interface Skill {
  name: string;
  displayName: string;
  description: string;
  examplePrompts: string[];
  inputs: SkillInput[];
  target: Target;
  template: string;
  settings: Record<string, string>;
  /** The manifest file it came from, for messages. */
  source: string;
  /** The plugin (Descriptor.Name) it belongs to. */
  plugin: string;
}

/** What a conversation remembers: the skill and the parameters the user gave (defaults are not stored). */
export interface Hunt {
  skill: string;
  parameters: Record<string, ParamValue>;
}

export interface RenderedHunt {
  kql: string;
  /** Every input that has a value after defaults, normalized (e.g. ports as numbers, times as ISO). */
  parameters: Record<string, ParamValue>;
}
