import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { HuntError } from '../../errors.ts';
import { exportPlugin } from '../../skills/export.ts';
import { loadSkills } from '../../skills/manifest.ts';
import { renderHunt } from '../../skills/render.ts';
import { createRulesMapper } from '../../nlu/rulesMapper.ts';
import { parseContext, parseNow, printJson } from '../options.ts';
import type { Skill } from '../../skills/types.ts';

/** Skills from SKILLS_DIR (or prompts/); bad manifests are reported on stderr and skipped. */
export function skillsOrReport(dir?: string): Skill[] {
  const { skills, problems } = loadSkills(dir);
  for (const p of problems) process.stderr.write(`skipped manifest: ${p.userMessage}\n`);
  return skills;
}

export function registerSkillCommands(program: Command, skillsDir: () => string): void {
  program.command('parse')
    .description('Map a prompt to a hunt (the MapResult)')
    .argument('<prompt>')
    .option('--context <json>', 'the current hunt as JSON, to read the prompt as a follow-up')
    .option('--now <iso>', 'the time relative dates are read against')
    .option('--json', 'print the MapResult as JSON')
    .action(async (prompt: string, opts: { context?: string; now?: string; json?: boolean }) => {
      const mapper = createRulesMapper(skillsOrReport(skillsDir()));
      const result = await mapper.map(prompt, { current: parseContext(opts.context), now: parseNow(opts.now) });
      if (opts.json) return printJson(result);
      if (result.kind === 'hunt') console.log(`${result.explanation}\n${JSON.stringify(result.hunt)}`);
      else if (result.kind === 'command') console.log(`command: ${result.command}`);
      else console.log(`${result.message}${result.suggestions.length ? `\n  try: ${result.suggestions.join(' | ')}` : ''}`);
    });

  program.command('render')
    .description('Print the KQL a prompt would run (checked by the Kusto parser)')
    .argument('<prompt>')
    .option('--context <json>', 'the current hunt as JSON')
    .option('--now <iso>', 'the time relative dates are read against')
    .action(async (prompt: string, opts: { context?: string; now?: string }) => {
      const skills = skillsOrReport(skillsDir());
      const result = await createRulesMapper(skills).map(prompt, { current: parseContext(opts.context), now: parseNow(opts.now) });
      if (result.kind !== 'hunt') throw new HuntError('NotAHunt', result.kind === 'clarify' ? result.message : `"${prompt}" is a command (${result.command}), not a hunt.`);
      const skill = skills.find((s) => s.name === result.hunt.skill)!;
      console.log(renderHunt(skill, result.hunt).kql);
    });

  program.command('skills')
    .description('List the skills with their inputs and example prompts')
    .option('--json', 'print as JSON')
    .action((opts: { json?: boolean }) => {
      const skills = skillsOrReport(skillsDir());
      if (opts.json) return printJson(skills.map(({ template: _t, ...rest }) => rest));
      for (const s of skills) {
        console.log(`${s.displayName}  [${s.name}, target ${s.target}, ${s.source}]\n  ${s.description}`);
        console.log('  inputs:');
        for (const i of s.inputs) {
          const extra = [i.type, i.required ? 'required' : 'optional', i.defaultValue !== undefined ? `default ${JSON.stringify(i.defaultValue)}` : '', i.allowedValues ? `one of ${i.allowedValues.join('/')}` : '']
            .filter(Boolean).join(', ');
          console.log(`    ${i.name} (${extra}): ${i.description}`);
        }
        console.log('  example prompts:');
        for (const p of s.examplePrompts) console.log(`    "${p}"`);
      }
    });

  program.command('export-plugin')
    .description('Write a Security Copilot plugin manifest (standard keys only) for upload to Security Copilot')
    .option('--skill <name>', 'only this skill (default: all)')
    .option('--out <file>', 'write to this file instead of stdout')
    .action((opts: { skill?: string; out?: string }) => {
      const all = skillsOrReport(skillsDir());
      const skills = opts.skill ? all.filter((s) => s.name === opts.skill) : all;
      if (skills.length === 0) throw new HuntError('UnknownSkill', `No skill named "${opts.skill}". Run "hunt skills" for the list.`);
      const yaml = exportPlugin(skills, { name: skills[0].plugin, description: skills[0].description });
      if (opts.out) writeFileSync(opts.out, yaml); else process.stdout.write(yaml);
    });
}
