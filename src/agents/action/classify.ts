/**
 * What a player's sentence asks for, by table-driven patterns (English, with Russian
 * keywords): first the things no character can do (refused, with the reason), then the
 * PHB's named mechanics, most specific first, and "the DM's call" for everything no rule
 * resolves by a roll. No I/O, no RNG.
 */
import type { ActionType } from '../../contracts/action.ts';

export type ThiefSkill =
  | 'pick_pockets'
  | 'open_locks'
  | 'find_remove_traps'
  | 'move_silently'
  | 'hide_in_shadows'
  | 'detect_noise'
  | 'climb_walls'
  | 'read_languages';

interface Rule {
  type: ActionType;
  pattern: RegExp;
}

/**
 * Things outside any character's reach, each with the honest reason. A spell or item that
 * does them is cast or used by name ("I cast polymorph self"), which is classified first.
 */
export const IMPOSSIBLE: readonly { pattern: RegExp; reason: string }[] = [
  {
    pattern:
      /\b(eat|eats|swallow|grab|grabs|catch|punch|kick|lasso|pull down|steal|touch|bite)\b[^.]*\b(the )?(moon|sun|stars?|sky|planet|horizon)\b|(съе|проглот|схвач|хвата|достаю)[^.]*(луну|солнце|звезд|небо)/iu,
    reason: 'the moon, the sun and the sky are far out of any character’s reach',
  },
  {
    pattern:
      /\b(to|onto|into|reach|land on) the (moon|sun|stars|sky)\b|(на луну|к солнцу|к звёздам)/iu,
    reason: 'the moon, the sun and the sky are far out of any character’s reach',
  },
  {
    pattern:
      /^(?!.*\bcast).*\b(i fly|i float|fly (up|away|over|across|off|to))\b|(^|\s)(лечу|взлетаю)/iu,
    reason:
      'a character flies only by magic (fly, PHB Appendix 3) or a magical item — cast or use it by name',
  },
  {
    pattern:
      /\b(become|turn into|transform into|morph into|turn myself into|change into|i am now)\b\s+(an?\s+|the\s+)?(?!invisible\b)[a-z]+|(превраща|стану|становлюсь)\s/iu,
    reason:
      'a character changes shape only by magic (polymorph self, PHB Appendix 3) or a magical item — cast or use it by name',
  },
  {
    pattern:
      /\b(i win|win the (game|fight|battle)|kill (everyone|everybody|everything|them all|all of them) (at once|instantly|in one)|destroy the (world|universe)|become (a )?god|i am (a )?god|i am (invincible|immortal)|infinite (gold|money|power)|(a )?(million|billion) (gold|gp|coins))\b|(я побеждаю|стану богом|бессмерт)/iu,
    reason: 'no rule grants that: success comes from rolls against the PHB’s tables',
  },
  {
    pattern: /\b(time travel|travel back in time|go back in time|rewind time|stop time)\b/iu,
    reason: 'not even a wish reliably bends time; no character can simply do it',
  },
];

/** First match wins: "cast" beats "attack" in "I cast magic missile at the orc". */
const CLASSIFY: readonly Rule[] = [
  {
    type: 'spell',
    pattern:
      /\b(cast|casts|casting|invoke|i pray for|i call down)\b|колду|заклинани|кастую|читаю свиток/iu,
  },
  {
    type: 'turn_undead',
    pattern:
      /\bturn(s|ing)?\b[^.]*\b(undead|skeletons?|zombies?|ghouls?|shadows?|wights?|ghasts?|wraiths?|mumm(y|ies)|spectres?|specters?|vampires?|ghosts?|liche?s?)\b|\b(present|raise|brandish) (my|the) holy symbol\b|изгоня|изгнать нежить/iu,
  },
  {
    type: 'thief_skill',
    pattern:
      /\b(pick(s|ing)?|open(s|ing)?|unlock|jimmy)\b[^.]*\blocks?\b|\bpick(s|ing)? (the |a |his |her |their )?pockets?\b|\b(pickpocket|lift (his|her|their) purse|steal (from|his|her|their)|cut (his|her|their) purse)\b|\b(find|search|look for|check|examine|detect|disarm|remove|disable)\b[^.]*\btraps?\b|\b(move|moving|sneak|sneaking|creep|creeping|tiptoe)\b[^.]*\b(silently|quietly|past|up on|behind)\b|\bsneak\b|\bhide(s)?\b|\b(hiding|hide) in (the )?shadows\b|\bclimb(s|ing)?\b|\b(listen|listens|listening|eavesdrop)\b|\bdetect noise\b|\bread (the |a |this )?(scroll|inscription|runes?|map|letter|language|writing|script|glyphs?|text)\b|\bdecipher\b|взлам|вскры|отмычк|обчист|кошел|ловушк|крад|подкрад|прячусь|спрятат|в тени|лезу|карабка|подслуш|прислуш|прочит/iu,
  },
  {
    type: 'strength_feat',
    pattern:
      /\b(bend|bends|bending|spread|pry apart)\b[^.]*\bbars?\b|\blift(s|ing)?\b[^.]*\b(gate|portcullis|grate|grating)\b|\b(open|opens|force|forces|bash|shoulder|kick|push|shove|break|barge)\b[^.]*\bdoors?\b|\bdoor\b[^.]*\b(stuck|jammed)\b|решётк|решетк|двер|ворота/iu,
  },
  {
    type: 'save',
    pattern: /\b(sav(e|es|ing)( throw)?|resist|withstand)\b|спас(бросок|аюсь)|сопротивля/iu,
  },
  {
    type: 'attack',
    pattern:
      /\b(attack|attacks|strike|strikes|hit|swing|slash|stab|shoot|shoots|fire (at|an arrow|a bolt|my)|loose|smite|charge|punch|kick|lunge|throw|throws|hurl|hurls)\b|атак|бью|ударю|удар|стреля|рублю|колю|метаю|бросаю/iu,
  },
  {
    type: 'ability_check',
    pattern:
      /\b(check|strength|dexterity|constitution|intelligence|wisdom|charisma|lift|push|balance|dodge|leap|jump|endure|recall|remember|notice|spot|persuade|convince|intimidate|charm)\b|проверк|сила|ловкост|мудрост|харизм|убеди|поднять|прыга/iu,
  },
];

/** The impossibility a text asks for, if any. */
export function impossibleReason(text: string): string | undefined {
  return IMPOSSIBLE.find((i) => i.pattern.test(text))?.reason;
}

export function classifyAction(text: string): ActionType {
  if (impossibleReason(text) !== undefined) return 'refused';
  return CLASSIFY.find((r) => r.pattern.test(text))?.type ?? 'dm_call';
}

const THIEF_SKILLS: readonly [ThiefSkill, RegExp][] = [
  ['read_languages', /\bread\b|\bdecipher\b|прочит/iu],
  ['find_remove_traps', /\btraps?\b|ловушк/iu],
  [
    'pick_pockets',
    /\bpockets?\b|pickpocket|\bpurse\b|\bsteal\b|\blift (his|her|their)\b|обчист|кошел|крад/iu,
  ],
  ['open_locks', /\blocks?\b|\bunlock\b|\bjimmy\b|взлам|вскры|отмычк/iu],
  ['hide_in_shadows', /\bhid(e|es|ing)\b|\bshadows?\b|прячусь|спрятат|в тени/iu],
  [
    'move_silently',
    /\b(move|moving|sneak|sneaking|creep|creeping|tiptoe)\b|silently|quietly|подкрад/iu,
  ],
  ['climb_walls', /\bclimb/iu],
  ['detect_noise', /\blisten|\beavesdrop|\bdetect noise|подслуш|прислуш/iu],
];

export function thiefSkillOf(text: string): ThiefSkill {
  return THIEF_SKILLS.find(([, re]) => re.test(text))?.[0] ?? 'open_locks';
}

/** A locked, barred or magically held door uses the parenthesised figure of PHB Table 1. */
export function doorIsLocked(text: string): boolean {
  return /\b(locked|barred|bolted|wizard[- ]locked|held|sealed)\b|заперт/iu.test(text);
}

export function strengthFeatOf(text: string): 'bend_bars' | 'open_doors' {
  return /\bbars?\b|\bgate\b|\bportcullis\b|\bgrat(e|ing)\b|решётк|решетк|ворота/iu.test(text)
    ? 'bend_bars'
    : 'open_doors';
}
