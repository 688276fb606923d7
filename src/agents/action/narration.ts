/**
 * Offline narration for `dma action --adapter mock` (the Narrative Director without a
 * model): several templates per action type × outcome, in English and Russian, chosen by
 * the seeded RNG. Every template keeps the narration-policy guardrails of dsl/guardrails.yaml:
 * two to four sentences, second person, no digits, no number words, no rules terms.
 */
import type {
  GameStateUpdates,
  Lang,
  NarrativeOutput,
  RulesOutput,
} from '../../contracts/action.ts';
import type { Rng } from '../../core/rng.ts';

export type Outcome =
  | 'attack_critical'
  | 'attack_hit'
  | 'attack_miss'
  | 'attack_fumble'
  | 'save_success'
  | 'save_failure'
  | 'check_success'
  | 'check_failure'
  | 'save_half'
  | 'spell_cast'
  | 'spell_unknown'
  | 'skill_success'
  | 'skill_failure'
  | 'feat_success'
  | 'feat_failure'
  | 'turn_success'
  | 'turn_failure'
  | 'refused'
  | 'dm_call';

/** The template key for a resolved action. */
export function outcomeOf(rules: RulesOutput): Outcome {
  const m = rules.mechanics_result;
  switch (m.action_type) {
    case 'attack':
      if (m.hit)
        return rules.narrative_hints.includes('critical_hit') ? 'attack_critical' : 'attack_hit';
      return rules.narrative_hints.includes('fumble') ? 'attack_fumble' : 'attack_miss';
    case 'save':
      if (!m.success) return 'save_failure';
      return m.category === 'breath' || /half/.test(m.outcome ?? '') ? 'save_half' : 'save_success';
    case 'ability_check':
      return m.success ? 'check_success' : 'check_failure';
    case 'spell':
      return m.known ? 'spell_cast' : 'spell_unknown';
    case 'thief_skill':
      return m.success ? 'skill_success' : 'skill_failure';
    case 'strength_feat':
      return m.success ? 'feat_success' : 'feat_failure';
    case 'turn_undead':
      return m.success ? 'turn_success' : 'turn_failure';
    case 'refused':
      return 'refused';
    case 'dm_call':
      return 'dm_call';
  }
}

type Templates = Record<Outcome, readonly string[]>;

/** {target}: the foe or "your foe"; {weapon}: the weapon or "your fists". */
const EN: Templates = {
  attack_critical: [
    'You read the opening before {target} does and drive {weapon} home with everything you have. The blow lands with a sound you will remember, and {target} reels as if struck by a thunderbolt.',
    'Time seems to slow as you step inside the guard of {target}. Your {weapon} finds the perfect gap, and the strike tears through with devastating force.',
    'You feint high, then bring {weapon} around in a flawless arc. {target} never sees it coming, and the impact staggers it almost off its feet.',
  ],
  attack_hit: [
    'You lunge forward and your {weapon} bites into {target}. It snarls in pain and gives ground, clutching at the wound.',
    'You swing {weapon} in a tight arc and feel it connect with {target}. A pained cry echoes around you as your foe stumbles back.',
    'You press the attack, and {weapon} slips past the guard of {target}. Blood darkens the ground as your enemy staggers.',
    'With a sharp exhale you strike, and {weapon} lands solidly on {target}. It lurches sideways, hurt and suddenly wary of you.',
  ],
  attack_miss: [
    'You swing {weapon} at {target}, but it twists aside at the last moment. Your blow cuts only air, and your foe bares its teeth.',
    'You lunge, yet {target} deflects your {weapon} with a clumsy parry. The clash rings out, and you both circle for an opening.',
    'Your strike comes a heartbeat too slow. {target} ducks beneath {weapon} and scrambles out of reach.',
  ],
  attack_fumble: [
    'You overreach, and {weapon} skids off your own guard. For a dreadful moment you are off balance while {target} watches hungrily.',
    'Your footing slips on the uneven ground and your swing goes wide. You recover just in time, heart pounding, as {target} jeers at you.',
    'You commit too hard and {weapon} nearly slips from your grip. {target} laughs at the blunder as you scramble to steady yourself.',
  ],
  save_success: [
    'You feel the danger close around you and you steel yourself against it. At the last instant you shrug it off, shaken but whole.',
    'Every instinct screams, and you throw yourself clear just in time. The threat washes past you, leaving you unharmed.',
    'You grit your teeth as the force presses in on you. Your will holds firm, and the effect breaks against you like a wave on rock.',
  ],
  save_failure: [
    'You try to resist, but the force takes hold of you before you can react. It strikes you with its full weight.',
    'You brace yourself, yet it is not enough. The effect sinks into you, and you feel its grip tighten.',
    'You twist away too late. The danger catches you squarely, and you stagger under its weight.',
  ],
  check_success: [
    'You gather yourself and commit to the attempt. It goes just as you hoped, and you allow yourself a small smile.',
    'You focus, breathe, and act. Your effort pays off, smoothly and surely.',
    'You test the moment and find it yielding to you. With a final push you succeed, and the way ahead is clear.',
  ],
  check_failure: [
    'You give it your best, but the attempt slips away from you. You are left breathing hard, no closer to your goal.',
    'You strain and struggle, yet it will not yield. You step back, frustrated, to think again.',
    'You try, and for a moment it seems to work. Then it all falls apart, and you are back where you began.',
  ],
  spell_cast: [
    'You speak the words of power and trace the gestures you have practised so long. The air hums as the magic answers your call.',
    'Arcane syllables roll from your tongue and the power gathers at your fingertips. With a final gesture you release it into the world.',
    'You close your eyes and shape the spell in your mind. When you open them, the magic is already taking form around you.',
  ],
  spell_unknown: [
    'You reach for the words of the spell, but they slip from your memory. The power you hoped for never comes.',
    'You begin the incantation, then falter: this magic is not prepared in your mind. The gathered energy fizzles away.',
    'You raise your hands to cast, but the pattern of the spell eludes you. Nothing answers your call.',
  ],
  save_half: [
    'You throw yourself aside as the blast rolls over you. It still sears you, but you escape the worst of it.',
    'You twist away and shield your face at the last instant. The force catches only part of you, and you stay on your feet.',
  ],
  skill_success: [
    'You work with quiet, practised hands and steady breath. It yields to you without a sound.',
    'You move with the ease of long practice. What you set out to do is done, and nobody is the wiser.',
  ],
  skill_failure: [
    'You try every trick you know, but this time your craft fails you. You pull back before it betrays you.',
    'Your practised hands falter at the crucial moment. It does not go as you hoped.',
  ],
  feat_success: [
    'You set your feet, grip hard and heave with everything you have. With a groan of metal and wood, it gives way before you.',
    'Muscles straining, you throw your whole weight into the effort. It yields at last, and the way stands open.',
  ],
  feat_failure: [
    'You set your feet and heave until your arms shake. It does not budge, and you step back breathing hard.',
    'You strain against it with all your might. It holds fast, indifferent to your effort.',
  ],
  turn_success: [
    'You raise your holy symbol high and call upon your faith. The dead recoil from the light of your conviction.',
    'Your voice rings out with the power of your god. The unliving shrink away from you as if burned.',
  ],
  turn_failure: [
    'You raise your holy symbol and call upon your faith. The dead waver for a moment, then come on regardless.',
    'Your prayer rings out, but the dead do not heed it. They press forward, hungry and unafraid.',
  ],
  refused: [
    'You consider it, but it is not something you can do. The moment passes while you decide on something else.',
    'You weigh the idea and set it aside: it lies beyond what you can do here. Your companions wait for your next move.',
  ],
  dm_call: [
    'You set about it, and what comes of it is for your guide to tell. The world waits on that word before the story moves on.',
    'You try it, but no roll can decide this alone. Your guide will describe what happens next.',
  ],
};

/** Russian templates: the foe and weapon are generic words, so no English names leak in. */
const RU: Templates = {
  attack_critical: [
    'Ты замечаешь брешь в обороне противника раньше, чем он сам. Твой удар обрушивается с сокрушительной силой, и враг отшатывается, словно поражённый молнией.',
    'Время будто замедляется, когда ты проходишь сквозь защиту врага. Твоё оружие находит идеальную щель, и удар разрывает всё на своём пути.',
    'Ты делаешь обманный выпад и тут же бьёшь снова. Противник не успевает ничего понять, и от удара его едва не сбивает с ног.',
  ],
  attack_hit: [
    'Ты бросаешься вперёд, и твоё оружие вонзается в противника. Враг рычит от боли и отступает, зажимая рану.',
    'Ты описываешь оружием короткую дугу и чувствуешь, как оно достигает цели. Пронзительный крик разносится вокруг, и враг пятится назад.',
    'Ты наседаешь, и твой удар проходит сквозь защиту противника. Враг шатается, и на земле темнеют капли крови.',
  ],
  attack_miss: [
    'Ты замахиваешься, но противник в последний миг уклоняется. Твой удар рассекает лишь воздух, и враг скалит зубы.',
    'Ты делаешь выпад, но враг неуклюже парирует. Звон стали разносится вокруг, и вы снова кружите друг напротив друга.',
    'Твой удар запаздывает на мгновение. Противник ныряет под него и отскакивает в сторону.',
  ],
  attack_fumble: [
    'Ты слишком сильно тянешься вперёд и теряешь равновесие. На страшное мгновение ты открыт, и противник жадно следит за тобой.',
    'Нога скользит по неровной земле, и твой удар уходит далеко в сторону. Ты едва успеваешь выпрямиться, пока враг насмехается над тобой.',
    'Оружие едва не выскальзывает из твоих рук. Противник хохочет над твоей оплошностью, пока ты пытаешься прийти в себя.',
  ],
  save_success: [
    'Ты чувствуешь, как опасность смыкается вокруг, и собираешь все силы. В последний миг ты стряхиваешь её с себя, потрясённый, но невредимый.',
    'Чутьё кричит об опасности, и ты успеваешь отпрянуть. Угроза проносится мимо, не задев тебя.',
    'Ты стискиваешь зубы, пока чуждая сила давит на тебя. Твоя воля выдерживает, и натиск разбивается о тебя, как волна о скалу.',
  ],
  save_failure: [
    'Ты пытаешься сопротивляться, но сила настигает тебя раньше. Она обрушивается на тебя всей тяжестью.',
    'Ты собираешься с духом, но этого мало. Чуждая сила проникает в тебя и сжимает всё крепче.',
    'Ты уворачиваешься слишком поздно. Опасность настигает тебя, и ты шатаешься под её тяжестью.',
  ],
  check_success: [
    'Ты собираешься с силами и берёшься за дело. Всё выходит именно так, как ты надеялся.',
    'Ты сосредотачиваешься, делаешь вдох и действуешь. Твои усилия окупаются, легко и уверенно.',
    'Ты пробуешь, и мир словно поддаётся тебе. Последнее усилие, и путь впереди свободен.',
  ],
  check_failure: [
    'Ты стараешься изо всех сил, но попытка ускользает от тебя. Ты тяжело дышишь, ничуть не приблизившись к цели.',
    'Ты напрягаешься и борешься, но ничего не выходит. Ты отступаешь, раздосадованный, чтобы подумать снова.',
    'Ты пытаешься, и на миг кажется, что всё получится. Но затем всё рушится, и ты снова там, где начинал.',
  ],
  spell_cast: [
    'Ты произносишь слова силы и чертишь в воздухе знакомые знаки. Воздух гудит, и магия откликается на твой зов.',
    'Тайные слоги срываются с твоих губ, и сила собирается на кончиках пальцев. Последним жестом ты выпускаешь её в мир.',
    'Ты закрываешь глаза и выстраиваешь заклинание в уме. Когда ты открываешь их, магия уже обретает форму вокруг тебя.',
  ],
  spell_unknown: [
    'Ты пытаешься вспомнить слова заклинания, но они ускользают из памяти. Сила, на которую ты надеялся, так и не приходит.',
    'Ты начинаешь заклинание и запинаешься: эта магия не подготовлена в твоём разуме. Собранная энергия рассеивается.',
    'Ты поднимаешь руки, но узор заклинания ускользает от тебя. Ничто не откликается на твой зов.',
  ],
  save_half: [
    'Ты бросаешься в сторону, и волна проносится над тобой. Она всё же обжигает тебя, но худшего ты избегаешь.',
    'Ты в последний миг отворачиваешься и прикрываешь лицо. Удар достаёт тебя лишь отчасти, и ты остаёшься на ногах.',
  ],
  skill_success: [
    'Ты работаешь тихо, умелыми руками и ровно дыша. Всё поддаётся тебе без единого звука.',
    'Ты двигаешься легко, как привык за годы практики. Задуманное сделано, и никто ничего не заметил.',
  ],
  skill_failure: [
    'Ты пробуешь все известные тебе уловки, но на этот раз мастерство подводит тебя. Ты отступаешь, пока тебя не выдали.',
    'Твои умелые руки дрожат в решающий миг. Всё идёт не так, как ты надеялся.',
  ],
  feat_success: [
    'Ты упираешься ногами и тянешь изо всех сил. Со скрежетом преграда поддаётся, и путь свободен.',
    'Напрягая каждую мышцу, ты наваливаешься всем телом. Наконец преграда уступает тебе.',
  ],
  feat_failure: [
    'Ты тянешь, пока не задрожат руки. Преграда даже не шелохнулась, и ты отступаешь, тяжело дыша.',
    'Ты давишь изо всех сил. Преграда стоит намертво, равнодушная к твоим усилиям.',
  ],
  turn_success: [
    'Ты высоко поднимаешь священный символ и взываешь к своей вере. Мертвецы отшатываются от света твоей убеждённости.',
    'Твой голос звучит силой твоего бога. Нежить пятится от тебя, словно обожжённая.',
  ],
  turn_failure: [
    'Ты поднимаешь священный символ и взываешь к вере. Мертвецы на миг замирают, но затем снова идут вперёд.',
    'Твоя молитва звучит, но мертвецы не внемлют ей. Они надвигаются, голодные и бесстрашные.',
  ],
  refused: [
    'Ты обдумываешь это, но такое тебе не под силу. Мгновение проходит, пока ты решаешь, что делать дальше.',
    'Ты взвешиваешь эту мысль и отбрасываешь её: это за пределами твоих возможностей. Спутники ждут твоего следующего шага.',
  ],
  dm_call: [
    'Ты берёшься за дело, а чем оно кончится, расскажет твой ведущий. Мир ждёт его слова, прежде чем история двинется дальше.',
    'Ты пробуешь, но одним броском этого не решить. Что будет дальше, опишет твой ведущий.',
  ],
};

const COUNTER: Record<Lang, { hit: readonly string[]; miss: readonly string[] }> = {
  en: {
    hit: [
      '{target} strikes at you, and its blow finds you.',
      'In the press of the fight, {target} lashes out and wounds you.',
    ],
    miss: [
      '{target} strikes at you, but you turn the blow aside.',
      '{target} lashes out at you, missing by a hair.',
    ],
  },
  ru: {
    hit: [
      'Противник бьёт тебя, и его удар достигает цели.',
      'В пылу схватки враг наносит удар и ранит тебя.',
    ],
    miss: ['Противник бьёт тебя, но ты отводишь удар.', 'Враг наносит удар, но промахивается.'],
  },
};

export const TEMPLATES: Record<Lang, Templates> = { en: EN, ru: RU };

export interface MockNarrationInput {
  rules: RulesOutput;
  lang: Lang;
  rng: Rng;
  /** the enemies' answers this round, already rolled by the rules code (none: none narrated) */
  counterattacks?: readonly { attacker: string; hit: boolean; damage: number }[] | undefined;
  /** the state of the stored fight, when there is one */
  combat?: { enemies: string[]; ended: boolean } | undefined;
}

function fill(template: string, rules: RulesOutput): string {
  const m = rules.mechanics_result;
  const target =
    m.action_type === 'attack' && m.target !== undefined
      ? `the ${m.target.replace(/-\d+$/, '').replace(/-/g, ' ')}`
      : 'your foe';
  const weapon =
    m.action_type === 'attack' && m.weapon !== 'unarmed'
      ? `your ${m.weapon.replace(/\s*\(.*\)$/, '')}`
      : 'your fists';
  const out = template.replaceAll('{target}', target).replaceAll('{weapon}', weapon);
  // "your your long sword" never happens: templates write "{weapon}" without a possessive,
  // except "Your {weapon}", tidied here.
  return out
    .replace(/\b([Yy]our) your\b/g, '$1')
    .replace(/(^|[.!?]\s+)([a-z])/g, (_, p: string, c: string) => p + c.toUpperCase());
}

/**
 * Game state after the action, from what was rolled: in combat only inside a stored fight,
 * and every enemy attack rolled this round (a miss with damage 0), none invented.
 */
export function gameStateFor(
  counterattacks: MockNarrationInput['counterattacks'],
  combat: MockNarrationInput['combat'],
): GameStateUpdates {
  return {
    in_combat: combat !== undefined && !combat.ended,
    enemies: combat?.enemies ?? [],
    combat_ended: combat?.ended ?? false,
    enemy_attacks: (counterattacks ?? []).map((a) => ({ attacker: a.attacker, damage: a.damage })),
  };
}

/** A seeded, deterministic narration that passes the narration-policy guardrails. */
export function mockNarration(input: MockNarrationInput): NarrativeOutput {
  const { rules, lang, rng, counterattacks } = input;
  const sentences = [fill(rng.pick(TEMPLATES[lang][outcomeOf(rules)]), rules)];
  const attacks = counterattacks ?? [];
  if (attacks.length > 0) {
    const hit = attacks.find((a) => a.hit);
    const pool = COUNTER[lang][hit !== undefined ? 'hit' : 'miss'];
    const attacker = (hit ?? attacks[0]!).attacker.replace(/-\d+$/, '').replace(/-/g, ' ');
    sentences.push(
      capitalise(rng.pick(pool).replaceAll('{target}', lang === 'en' ? `the ${attacker}` : 'враг')),
    );
  }
  return {
    narrative: sentences.join(' '),
    game_state_updates: gameStateFor(counterattacks, input.combat),
  };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
