/**
 * The Response Synthesizer (original design 003, agent #3): the final markdown message —
 * the action line with the roll and ✅/❌ (💥 on a natural 20), the damage line, enemy
 * attacks, the narrative, then ❤️ HP and 📍 location. Deterministic; no model.
 */
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
    case 'spell':
      lines.push(
        `✨ **${w.spell}**${m.spell === undefined ? '' : ` ${m.spell}`} ${m.known ? `✅ ${w.cast}` : `❌ ${w.unknown}`}`,
      );
      break;
    case 'other':
      break;
  }
  for (const a of input.narrative?.game_state_updates.enemy_attacks ?? []) {
    if (a.damage > 0) lines.push(`💔 **${a.attacker}** ${w.strikes}: ${a.damage} HP`);
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
  ].filter((s) => s !== '');
  return { final_message: sections.join('\n\n') };
}
