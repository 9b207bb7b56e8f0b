import { isHuntError } from '../errors.ts';
import { defenderSchema } from '../kusto/schema.ts';
import { effectiveParameters } from '../skills/render.ts';
import { exclusiveRivals, inputForSlot } from '../skills/slots.ts';
import type { Hunt, ParamValue, Skill, SkillInput, Slot } from '../skills/types.ts';
import { readCommand } from './commands.ts';
import { describeHunt, describeSlots } from './describe.ts';
import { ipTypeOf, KEYWORDS, KNOWN_PROCESSES, readValues, type Edit, type Reading } from './extract/index.ts';
import { SkillRanker, skillWords, splitWords, tablesRead, type Ranked } from './rank.ts';
import { COMMON_WORDS, Lexicon, MASK, STOP_WORDS, stem, words } from './text.ts';
import type { MapContext, MapResult, PromptMapper } from './types.ts';

// The offline mapper: commands first, then values by slot, then either a refinement of the current hunt or a
// new hunt on the skill the BM25 ranking picks. When it cannot tell, it asks instead of guessing.

/** Words that mark a message as changing the current hunt rather than starting a new one. */
const REFINE_CUE = /^\s*(?:and|but|ok|okay|so)\b|\b(?:only|just|exclude|excluding|except|without|not|now|what\s+about|how\s+about|also|too|as\s+well|include|including|add|plus|drop|remove|instead|same|change|switch|narrow|restrict|limit)\b/i;
/** Share of the unexplained words a skill must know to be chosen ("what's the weather" knows none). */
const MIN_COVERAGE = 1 / 3;
/** A runner-up this close to the best skill makes the choice a tie. */
const TIE = 0.9;
const MAX_SUGGESTIONS = 3;
/** Table-name words too general to say what data a prompt is about. */
const GENERAL_TABLE_WORDS = new Set(['info', 'beta', 'events', 'post', 'load', 'click', 'query', 'secure', 'device', 'base']);

const SLOT_LABELS: Record<Slot, string> = {
  lookback: 'time', startTime: 'time', endTime: 'time', minPort: 'port', maxPort: 'port', ports: 'port', excludePorts: 'port',
  ipTypes: 'IP type', remoteIps: 'remote IP', device: 'device', includeProcesses: 'process', excludeProcesses: 'process',
  actionTypes: 'outcome', top: 'number of results',
};

interface Candidate extends Ranked {
  /** The BM25 score scaled down for each requested value the skill has no slot for. */
  fit: number;
  /** It has a slot for every value asked for. */
  supported: boolean;
}

const asList = (v: ParamValue | undefined): (string | number)[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const sameValue = (a: string | number, b: string | number) => String(a).toLowerCase() === String(b).toLowerCase();
const round = (n: number) => Math.round(n * 100) / 100;

/** Inputs that cannot be combined with this one, whichever side declared it. */

/** Applies edits by slot to a skill's parameters; slots the skill lacks are returned as unsupported. */
export function applyEdits(skill: Skill, base: Record<string, ParamValue>, edits: Edit[]): { parameters: Record<string, ParamValue>; unsupported: Slot[] } {
  const params: Record<string, ParamValue> = { ...base };
  const unsupported = new Set<Slot>();
  const touched = new Set<Slot>();
  const put = (input: SkillInput, value: ParamValue) => {
    for (const rival of exclusiveRivals(skill, input)) delete params[rival];
    params[input.name] = value;
    touched.add(input.slot!);
  };
  for (const edit of edits) {
    const input = inputForSlot(skill, edit.slot);
    if (!input) {
      if (edit.op !== 'clear' && edit.op !== 'remove') unsupported.add(edit.slot);
      continue;
    }
    const current = asList(params[input.name] ?? input.defaultValue);
    switch (edit.op) {
      case 'set': put(input, edit.value); break;
      case 'add': put(input, [...new Set([...current, ...edit.values])] as ParamValue); break;
      case 'all': if (input.allowedValues) put(input, [...input.allowedValues]); break;
      case 'clear': delete params[input.name]; break;
      case 'remove': {
        const left = current.filter((v) => !edit.values.some((r) => sameValue(r, v)));
        if (left.length === current.length) break;
        // Leaving out every value means "all the others" when the input lists its allowed values.
        const rest = left.length > 0 ? left : (input.allowedValues ?? []).filter((v) => !edit.values.some((r) => sameValue(r, v)));
        if (rest.length > 0) put(input, rest as ParamValue);
        else delete params[input.name];
      }
    }
  }
  keepPortRangeOpen(skill, params, touched);
  addIpTypesOfAddresses(skill, params, touched);
  return { parameters: params, unsupported: [...unsupported] };
}

/** "Below 1024" under a default floor of 1025 would match nothing: the floor goes down to the input's minimum. */
function keepPortRangeOpen(skill: Skill, params: Record<string, ParamValue>, touched: Set<Slot>): void {
  const low = inputForSlot(skill, 'minPort');
  const high = inputForSlot(skill, 'maxPort');
  if (!low || !high) return;
  const max = params[high.name];
  const min = params[low.name] ?? low.defaultValue;
  if (touched.has('maxPort') && !touched.has('minPort') && typeof max === 'number' && typeof min === 'number' && min > max) {
    params[low.name] = low.min ?? 0;
  }
  if (touched.has('minPort') && !touched.has('maxPort') && typeof max === 'number' && typeof min === 'number' && min > max) {
    delete params[high.name];
  }
}

/** A named private address under the default "Public only" would match nothing: its kind is added. */
function addIpTypesOfAddresses(skill: Skill, params: Record<string, ParamValue>, touched: Set<Slot>): void {
  const ips = inputForSlot(skill, 'remoteIps');
  const types = inputForSlot(skill, 'ipTypes');
  if (!ips || !types || !touched.has('remoteIps') || touched.has('ipTypes')) return;
  const current = asList(params[types.name] ?? types.defaultValue).map(String);
  if (current.length === 0) return;
  const allowed = (t: string) => !types.allowedValues || types.allowedValues.includes(t);
  const missing = [...new Set(asList(params[ips.name]).map((ip) => ipTypeOf(String(ip))))].filter((t) => allowed(t) && !current.includes(t));
  if (missing.length > 0) params[types.name] = [...current, ...missing];
}

/**
 * Stems of words that name data no skill reads, from the names of the tables no skill queries ("registry" from
 * DeviceRegistryEvents, "email" from EmailEvents): a prompt about them gets a clarify, not the nearest skill.
 */
function foreignWords(skills: Skill[], tables: string[]): Set<string> {
  const read = new Set(skills.flatMap(tablesRead));
  const known = new Set(skills.flatMap(skillWords).map(stem));
  const words = tables.filter((t) => !read.has(t)).flatMap(splitWords).filter((w) => w.length >= 4 && !GENERAL_TABLE_WORDS.has(w));
  return new Set(words.map(stem).filter((w) => !known.has(w)));
}

export interface RulesMapperOptions {
  /** Every table name there is (default: the Defender schema), to recognise prompts about data no skill reads. */
  tables?: string[];
}

class RulesMapper implements PromptMapper {
  private readonly ranker: SkillRanker;
  private readonly lexicon: Lexicon;
  private readonly foreign: Set<string>;

  constructor(private readonly skills: Skill[], options: RulesMapperOptions) {
    this.ranker = new SkillRanker(skills);
    this.foreign = foreignWords(skills, options.tables ?? Object.keys(defenderSchema()));
    this.lexicon = new Lexicon([...skills.flatMap(skillWords), ...KEYWORDS, ...STOP_WORDS, ...COMMON_WORDS, ...this.foreign], KNOWN_PROCESSES);
  }

  async map(text: string, ctx: MapContext): Promise<MapResult> {
    return this.mapNow(text, ctx);
  }

  private mapNow(text: string, ctx: MapContext): MapResult {
    const corrected = this.lexicon.correctText(text.trim());
    if (corrected === '') return this.clarify('Tell me what to hunt for.', this.names(this.skills));
    const command = readCommand(corrected);
    if (command) return { kind: 'command', ...command };

    const reading = readValues(corrected, ctx.now, (w) => this.lexicon.has(w));
    const all = words(corrected).filter((t) => t.word.length > 1 && !STOP_WORDS.has(t.word));
    // Words no extractor explained: what the skill has to be chosen by. Words inside values count only when a
    // skill knows them ("all devices", "well-known ports" say what to hunt as well as what to filter).
    const content = all.filter((t) => reading.rest[t.start] !== MASK).map((t) => t.word);
    const telling = [...content, ...all.filter((t) => reading.rest[t.start] === MASK && this.ranker.knows(stem(t.word))).map((t) => t.word)];
    // Digits and letters that no extractor could read ("last 7x") are a value gone wrong: ask, rather than drop it.
    const stray = /(?<![\w.-])(?=[\w.-]*\d)(?=[\w.-]*[a-z])[\w.-]+/i.exec(reading.rest)?.[0];
    if (stray) return this.clarify(`I couldn't read "${stray}". Try e.g. "last 24 hours", "port 4444" or "on WS-0042".`, []);
    const ranked = this.candidates(words(corrected).map((t) => t.word), reading.edits);
    const current = ctx.current && this.skills.find((s) => s.name === ctx.current!.skill);

    if (current && ctx.current) {
      const top = ranked[0]!;
      const currentScore = ranked.find((r) => r.skill === current)?.fit ?? 0;
      const newTopic = top.skill !== current && top.fit > 0 && coverage(top, telling) >= MIN_COVERAGE && currentScore < top.fit / 2;
      const knowsWords = content.some((w) => this.ranker.knows(stem(w)));
      const hasValues = reading.edits.length > 0 || reading.problems.length > 0;
      if ((REFINE_CUE.test(corrected) && !newTopic) || (!knowsWords && hasValues)) return this.refine(current, ctx.current, reading);
    }
    return this.newHunt(ranked, content, telling, reading);
  }

  /** Skills by BM25 score, each scaled down for values it has no slot for. */
  private candidates(queryWords: string[], edits: Edit[]): Candidate[] {
    const needed = new Set(edits.filter((e) => e.op !== 'clear' && e.op !== 'remove').map((e) => e.slot));
    return this.ranker.rank(queryWords)
      .map((r) => {
        const supported = [...needed].filter((slot) => r.skill.inputs.some((i) => i.slot === slot)).length;
        return { ...r, fit: (r.score * (1 + supported)) / (1 + needed.size), supported: supported === needed.size };
      })
      .sort((a, b) => b.fit - a.fit || Number(b.supported) - Number(a.supported));
  }

  private refine(skill: Skill, current: Hunt, reading: Reading): MapResult {
    if (reading.problems.length > 0) return this.clarify(reading.problems.join(' '), []);
    if (reading.edits.length === 0) {
      return this.clarify(`I didn't catch what to change in ${skill.displayName}. Try "only port 4444", "last 24 hours", "exclude chrome.exe" or "what about WS-0007?".`, []);
    }
    return this.hunt(skill, current.parameters, reading.edits, 0.9);
  }

  private newHunt(ranked: Candidate[], content: string[], telling: string[], reading: Reading): MapResult {
    const understood = this.understood(reading.edits);
    if (reading.problems.length > 0) return this.clarify(`${reading.problems.join(' ')}${understood}`, []);
    const needed = reading.edits.some((e) => e.op !== 'clear');
    if (content.length === 0 && !needed) return this.clarify('Tell me what to hunt for.', this.names(this.skills));
    const foreign = content.find((w) => this.foreign.has(stem(w)));
    if (foreign) {
      const names = this.names(this.skills);
      return this.clarify(`I don't have a hunt over ${foreign} data yet${understood}. I can run: ${names.join('; ')}.`, names);
    }

    // Only values ("last 24 hours on WS-0042"): the skill that has slots for all of them, if just one does.
    if (content.length === 0) {
      const pool = ranked.filter((r) => this.fits(r.skill, reading.edits));
      if (pool.length === 1) return this.hunt(pool[0].skill, {}, reading.edits, 0.5);
      const names = this.names(pool.length > 0 ? pool : this.skills);
      return this.clarify(`Which hunt${understood}? I can run: ${names.join('; ')}.`, names);
    }
    const [top, second] = ranked;
    if (!top || top.fit === 0 || coverage(top, telling) < MIN_COVERAGE) {
      const close = ranked.filter((r) => r.score > 0);
      return this.clarify(`I'm not sure which hunt you mean${understood}. I can run: ${this.names(close.length ? close : this.skills).join('; ')}.`, this.names(close.length ? close : this.skills));
    }
    if (second && second.fit >= TIE * top.fit) {
      const tied = ranked.filter((r) => r.fit >= TIE * top.fit);
      return this.clarify(`That could be ${this.names(tied).join(' or ')}${understood}. Which one?`, this.names(tied));
    }
    const margin = second ? 1 - (0.5 * second.fit) / top.fit : 1;
    return this.hunt(top.skill, {}, reading.edits, round((0.5 + 0.5 * coverage(top, telling)) * margin));
  }

  private hunt(skill: Skill, base: Record<string, ParamValue>, edits: Edit[], confidence: number): MapResult {
    const { parameters, unsupported } = applyEdits(skill, base, edits);
    if (unsupported.length > 0) {
      const labels = [...new Set(unsupported.map((s) => SLOT_LABELS[s]))];
      return this.clarify(`${skill.displayName} can't filter by ${labels.join(' or ')}.`, []);
    }
    const hunt: Hunt = { skill: skill.name, parameters };
    try {
      effectiveParameters(skill, hunt);
    } catch (e) {
      if (!isHuntError(e)) throw e;
      return this.clarify(e.userMessage, []);
    }
    return { kind: 'hunt', hunt, explanation: describeHunt(skill, parameters), confidence };
  }

  private fits(skill: Skill, edits: Edit[]): boolean {
    return edits.every((e) => e.op === 'clear' || e.op === 'remove' || skill.inputs.some((i) => i.slot === e.slot));
  }

  /** " (I understood: last 24 hours, device WS-0042)", or nothing. */
  private understood(edits: Edit[]): string {
    const values: Partial<Record<Slot, ParamValue>> = {};
    for (const e of edits) {
      if (e.op === 'set') values[e.slot] = e.value;
      else if (e.op === 'add') values[e.slot] = e.values;
    }
    const parts = describeSlots(values);
    return parts.length > 0 ? ` (I understood: ${parts.join(', ')})` : '';
  }

  private names(from: (Skill | Ranked)[]): string[] {
    return from.slice(0, MAX_SUGGESTIONS).map((r) => ('skill' in r ? r.skill : r).displayName);
  }

  private clarify(message: string, suggestions: string[]): MapResult {
    return { kind: 'clarify', message, suggestions };
  }
}

/** Share of the telling words this skill knows. */
function coverage(r: Ranked, content: string[]): number {
  return content.length === 0 ? 0 : content.filter((w) => r.matched.includes(stem(w))).length / content.length;
}

/** The deterministic, offline prompt mapper over these skills. */
export function createRulesMapper(skills: Skill[], options: RulesMapperOptions = {}): PromptMapper {
  return new RulesMapper(skills, options);
}
