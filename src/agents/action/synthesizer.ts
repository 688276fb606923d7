/**
 * The Response Synthesizer (original design 003, agent #3): the final markdown message —
 * the action line with the roll and ✅/❌ (💥 on a natural 20), the damage line, enemy
 * attacks, the narrative, then ❤️ HP and 📍 location. Deterministic; no model.
 */
import { localise } from './ru.ts';
import type {
  CharacterSheet,
  DiceRollContract,
  Lang,
  NarrativeOutput,
  RulesOutput,
  SynthesizerOutput,
} from '../../contracts/action.ts';

/** The original design's fallbacks, shown in place of a narrative when the model fails. */
export const FALLBACK_MESSAGES: Record<Lang, { llm_error: string; rate_limit: string }> = {
  en: {
    llm_error:
      '❌ Sorry, something went wrong while resolving the action. Try again, or use --adapter mock.',
    rate_limit: '⏳ Too many requests. Wait a moment and try again.',
  },
  ru: {
    llm_error:
      '❌ Извини, произошла ошибка при обработке действия. Попробуй ещё раз или используй --adapter mock.',
    rate_limit: '⏳ Слишком много запросов. Подожди немного и попробуй снова.',
  },
};

const WORDS = {
  en: {
    attack: 'Attack',
    hit: 'Hit!',
    miss: 'Miss!',
    damage: 'Damage',
    save: 'Save vs',
    saved: 'Saved!',
    failed: 'Failed!',
    check: 'check',
    success: 'Success!',
    failure: 'Failure!',
    spell: 'Spell',
    cast: 'Cast!',
    unknown: 'Not prepared',
    hp: 'HP',
    location: 'Location',
    strikes: 'strikes you',
    misses: 'misses you',
    half: 'half damage',
    outcome: 'Outcome',
    skill: 'Thief skill',
    bendBars: 'Bend Bars/Lift Gates',
    openDoors: 'Open Doors',
    turn: 'Turn undead',
    turned: 'Turned!',
    destroyed: 'Destroyed!',
    cannot: 'Cannot turn',
    refused: 'Refused',
    dmCall: "DM's call",
    saves_: 'saves',
    fails: 'fails',
    asleep: 'asleep',
    round: 'Round',
    initiative: 'Initiative',
    first: {
      party: 'you act first',
      enemies: 'the enemies act first',
      simultaneous: 'simultaneous',
    },
    enemies: 'Enemies',
    victory: 'The fight is over: no enemy stands.',
    defeat: 'You have fallen.',
    healed: 'Healed',
    left: 'left memorised',
    explain: 'How it was decided',
    abilities: {
      str: 'Strength',
      dex: 'Dexterity',
      con: 'Constitution',
      int: 'Intelligence',
      wis: 'Wisdom',
      cha: 'Charisma',
    },
    saves: {
      paralyzation: 'Paralyzation, Poison, or Death Magic',
      rod: 'Rod, Staff, or Wand',
      petrification: 'Petrification or Polymorph',
      breath: 'Breath Weapon',
      spell: 'Spell',
    },
  },
  ru: {
    attack: 'Атака',
    hit: 'Попадание!',
    miss: 'Промах!',
    damage: 'Урон',
    save: 'Спасбросок:',
    saved: 'Успех!',
    failed: 'Провал!',
    check: 'проверка',
    success: 'Успех!',
    failure: 'Провал!',
    spell: 'Заклинание',
    cast: 'Сотворено!',
    unknown: 'Не подготовлено',
    hp: 'HP',
    location: 'Локация',
    strikes: 'бьёт тебя',
    misses: 'промахивается',
    half: 'половина урона',
    outcome: 'Итог',
    skill: 'Воровской навык',
    bendBars: 'Гнуть прутья/поднять ворота',
    openDoors: 'Открыть дверь',
    turn: 'Изгнание нежити',
    turned: 'Изгнаны!',
    destroyed: 'Уничтожены!',
    cannot: 'Изгнать нельзя',
    refused: 'Отказ',
    dmCall: 'Решает ведущий',
    saves_: 'спасается',
    fails: 'не спасается',
    asleep: 'спит',
    round: 'Раунд',
    initiative: 'Инициатива',
    first: {
      party: 'ты действуешь первым',
      enemies: 'враги действуют первыми',
      simultaneous: 'одновременно',
    },
    enemies: 'Враги',
    victory: 'Бой окончен: ни один враг не стоит на ногах.',
    defeat: 'Ты пал.',
    healed: 'Исцелено',
    left: 'осталось в памяти',
    explain: 'Как это решено',
    abilities: {
      str: 'Сила',
      dex: 'Ловкость',
      con: 'Телосложение',
      int: 'Интеллект',
      wis: 'Мудрость',
      cha: 'Харизма',
    },
    saves: {
      paralyzation: 'паралич, яд, магия смерти',
      rod: 'жезл, посох, палочка',
      petrification: 'окаменение, превращение',
      breath: 'дыхание',
      spell: 'заклинание',
    },
  },
} as const;

/** "14+1 = 15", "12", "6+7 = 13" (the dice, then the modifier, then the total). */
function rollText(r: DiceRollContract): string {
  const dice = (r.kept ?? r.rolls).join('+');
  if (r.modifier === 0 && (r.kept ?? r.rolls).length === 1) return dice;
  const mod = r.modifier === 0 ? '' : r.modifier > 0 ? `+${r.modifier}` : `${r.modifier}`;
  return `${dice}${mod} = ${r.total}`;
}

export interface SynthesizerInput {
  rules: RulesOutput;
  /** undefined when the model failed: the fallback message replaces the narrative */
  narrative: NarrativeOutput | undefined;
  fallback?: string;
  /** the character after the action (HP already lowered by enemy attacks) */
  character: Pick<CharacterSheet, 'name' | 'hp' | 'max_hp' | 'location'>;
  lang: Lang;
  /** the stored fight's round: the enemies' rolled attacks and where everyone stands */
  combat?: {
    round: number;
    initiative?: {
      party: DiceRollContract;
      enemies: DiceRollContract;
      first: 'party' | 'enemies' | 'simultaneous';
    };
    attacks: readonly {
      attacker: string;
      attack_roll: DiceRollContract;
      needed: number;
      hit: boolean;
      damage: number;
    }[];
    enemies: readonly { id: string; hp: number; max_hp: number; status: string }[];
    outcome?: 'victory' | 'defeat';
  };
  /** --explain: the derivation lines */
  explain?: readonly string[];
}

export function synthesize(input: SynthesizerInput): SynthesizerOutput {
  const w = WORDS[input.lang];
  const m = input.rules.mechanics_result;
  const lines: string[] = [];
  switch (m.action_type) {
    case 'attack': {
      const crit = m.is_critical && m.hit ? '💥 ' : '';
      const fumble = m.is_fumble && !m.hit ? ' 💔' : '';
      lines.push(
        `🎲 **${w.attack}** [🎲 ${rollText(m.attack_roll)} vs ${m.needed}] ${crit}${m.hit ? `✅ ${w.hit}` : `❌ ${w.miss}`}${fumble}`,
      );
      if (m.hit) lines.push(`💔 **${w.damage}:** ${m.total_damage} HP`);
      break;
    }
    case 'save':
      lines.push(
        `🎲 **${w.save} ${w.saves[m.category]}** [🎲 ${rollText(m.save_roll)} vs ${m.needed}] ${m.success ? `✅ ${w.saved}` : `❌ ${w.failed}`}`,
      );
      break;
    case 'ability_check':
      lines.push(
        `🎲 **${w.abilities[m.ability]} ${w.check}** [🎲 ${rollText(m.check_roll)} ≤ ${m.score}] ${m.success ? `✅ ${w.success}` : `❌ ${w.failure}`}`,
      );
      break;
    case 'spell': {
      lines.push(
        `✨ **${w.spell}**${m.spell === undefined ? '' : ` ${m.spell}`} ${m.known ? `✅ ${w.cast}` : `❌ ${w.unknown}`}${m.memorised_left === undefined ? '' : ` (${m.memorised_left} ${w.left})`}`,
      );
      const rolls = m.damage_rolls ?? (m.damage_roll === undefined ? [] : [m.damage_roll]);
      if (rolls.length > 0 && m.total_damage !== undefined)
        lines.push(`🎲 ${rolls.map(rollText).join(' · ')} → **${m.total_damage}**`);
      else if (rolls.length > 0) lines.push(`🎲 ${rolls.map(rollText).join(' · ')}`);
      if (m.healing_roll !== undefined)
        lines.push(`💚 **${w.healed}:** ${rollText(m.healing_roll)} → ${m.total_healing} HP`);
      for (const t of m.targets ?? []) {
        const roll =
          t.save_roll !== undefined
            ? ` [🎲 ${rollText(t.save_roll)} vs ${t.save_needed}]`
            : t.attack_roll !== undefined
              ? ` [🎲 ${rollText(t.attack_roll)}]`
              : '';
        lines.push(`  • ${t.name}${roll}: ${t.effect}`);
      }
      for (const n of m.notes) lines.push(`ℹ️ ${localise(n, input.lang)}`);
      break;
    }
    case 'thief_skill':
      lines.push(
        `🎲 **${w.skill}: ${localise(m.label, input.lang)}** [🎲 ${rollText(m.skill_roll)} ≤ ${m.chance}%] ${m.success ? `✅ ${w.success}` : `❌ ${w.failure}`}`,
      );
      break;
    case 'strength_feat':
      lines.push(
        `🎲 **${m.feat === 'bend_bars' ? w.bendBars : w.openDoors}** (Str ${m.strength}) [🎲 ${rollText(m.feat_roll)} ≤ ${m.chance}${m.die === 'd100' ? '%' : ''}] ${m.success ? `✅ ${w.success}` : `❌ ${w.failure}`}`,
      );
      break;
    case 'turn_undead':
      lines.push(
        `✝️ **${w.turn}: ${m.undead}**${m.turn_roll === undefined ? '' : ` [🎲 ${rollText(m.turn_roll)} vs ${m.cell}]`} ${m.result === 'cannot' ? `❌ ${w.cannot}` : m.result === 'failed' ? `❌ ${w.failure}` : m.result === 'destroyed' ? `✅ ${w.destroyed}` : `✅ ${w.turned}`}${m.affected_roll === undefined ? '' : ` (2d6: ${m.affected_roll.total})`}`,
      );
      break;
    case 'refused':
      lines.push(`🚫 **${w.refused}:** ${localise(m.reason, input.lang)}`);
      break;
    case 'dm_call':
      lines.push(`⚖️ **${w.dmCall}:** ${localise(m.reason, input.lang)}`);
      break;
  }
  if (m.action_type === 'attack' && m.second_attack !== undefined) {
    const s2 = m.second_attack;
    lines.push(
      `🎲 **${w.attack}** (${s2.weapon}) [🎲 ${rollText(s2.attack_roll)} vs ${s2.needed}] ${s2.hit ? `✅ ${w.hit}` : `❌ ${w.miss}`}`,
    );
    if (s2.hit) lines.push(`💔 **${w.damage}:** ${s2.total_damage} HP`);
  }
  if (m.action_type === 'save' && m.outcome !== undefined) {
    lines.push(`➡️ **${w.outcome}:** ${localise(m.outcome, input.lang)}`);
  }
  if (input.combat !== undefined) {
    const ini = input.combat.initiative;
    if (ini !== undefined) {
      lines.unshift(
        `⏱️ **${w.initiative}** [🎲 ${rollText(ini.party)} vs ${rollText(ini.enemies)}] → ${w.first[ini.first]}`,
      );
    }
    for (const a of input.combat.attacks) {
      lines.push(
        `${a.hit ? '💔' : '🛡️'} **${a.attacker}** [🎲 ${rollText(a.attack_roll)} vs ${a.needed}] ${a.hit ? `${w.strikes}: ${a.damage} HP` : w.misses}`,
      );
    }
    lines.push(
      `⚔️ **${w.round} ${input.combat.round}** — ${w.enemies}: ${input.combat.enemies.map((e) => `${e.id} ${e.status === 'active' ? `${e.hp}/${e.max_hp}` : e.status}`).join(', ')}`,
    );
    if (input.combat.outcome !== undefined)
      lines.push(`🏁 ${input.combat.outcome === 'victory' ? w.victory : w.defeat}`);
  }
  const sections = [
    lines.join('\n'),
    input.narrative?.narrative ?? input.fallback ?? FALLBACK_MESSAGES[input.lang].llm_error,
    [
      `❤️ **${w.hp}:** ${input.character.hp}/${input.character.max_hp}`,
      ...(input.character.location === undefined || input.character.location === ''
        ? []
        : [`📍 **${w.location}:** ${input.character.location}`]),
    ].join('\n'),
    ...(input.explain === undefined || input.explain.length === 0
      ? []
      : [`📖 **${w.explain}:**\n${input.explain.map((l) => `- ${l}`).join('\n')}`]),
  ].filter((s) => s !== '');
  return { final_message: sections.join('\n\n') };
}
