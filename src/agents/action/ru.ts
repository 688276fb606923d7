/**
 * Russian for the mechanics' own words (outcomes, reasons, notes, --explain lines): fixed
 * phrases and words replaced, book citations, names and numbers kept as they are.
 */
import type { Lang } from '../../contracts/action.ts';

/** --explain in Russian: the fixed phrases translated, citations and numbers kept. */
const PHRASES_RU: readonly [RegExp, string][] = [
  // whole sentences first (outcomes, reasons, notes), then the fixed words
  [/full damage from the breath weapon/g, 'полный урон от дыхания'],
  [/half damage from the breath weapon/g, 'половина урона от дыхания'],
  [/the petrification or polymorph is negated/g, 'окаменение или превращение не действует'],
  [/turned to stone or transformed/g, 'окаменение или превращение'],
  [
    /the poison, paralysis or death magic is negated \(some poisons still harm on a save\)/g,
    'яд, паралич или магия смерти не действуют (некоторые яды вредят и при успехе)',
  ],
  [
    /the full effect: paralysed, poisoned or slain as the source says/g,
    'полный эффект: паралич, отравление или смерть, как сказано у источника',
  ],
  [
    /as the spell says: negated, or half damage/g,
    'как сказано в заклинании: не действует или половина урона',
  ],
  [/the spell’s full effect/g, 'полный эффект заклинания'],
  [
    /no PHB mechanic resolves this by a roll: the DM describes what happens, or calls for an ability check/g,
    'никакая механика PHB не решает это броском: ведущий описывает, что происходит, или просит проверку характеристики',
  ],
  [
    /the moon, the sun and the sky are far out of any character’s reach/g,
    'луна, солнце и небо недосягаемы для любого персонажа',
  ],
  [
    /a character changes shape only by magic \(polymorph self, PHB Appendix 3\) or a magical item — cast or use it by name/g,
    'персонаж меняет облик только магией (polymorph self, PHB Appendix 3) или магическим предметом — назови заклинание или предмет',
  ],
  [
    /no rule grants that: success comes from rolls against the PHB’s tables/g,
    'такого не даёт ни одно правило: успех решают броски по таблицам PHB',
  ],
  [
    /a character flies only by magic \(fly, PHB Appendix 3\) or a magical item — cast or use it by name/g,
    'персонаж летает только с помощью магии (fly, PHB Appendix 3) или магического предмета — назови его',
  ],
  [
    /no target in a stored fight: each creature in the area saves vs spell for half/g,
    'боя нет: каждое существо в области делает спасбросок против заклинаний на половину урона',
  ],
  [/no target in a stored fight: the DM applies the damage/g, 'боя нет: урон применяет ведущий'],
  [/ carries no /g, ' не несёт: '],
  [/weapons on the sheet/g, 'оружие в листе'],
  [/is not memorised/g, 'не выучено'],
  [/the sheet's spells/g, 'заклинания в листе'],
  [/casts no spells/g, 'не творит заклинаний'],
  [/cannot cast/g, 'не может сотворить'],
  [/Open Locks/g, 'Открывание замков'],
  [/Pick Pockets/g, 'Очищение карманов'],
  [/Find\/Remove Traps/g, 'Поиск/обезвреживание ловушек'],
  [/Move Silently/g, 'Бесшумное движение'],
  [/Hide in Shadows/g, 'Укрытие в тенях'],
  [/Detect Noise/g, 'Обнаружение шума'],
  [/Climb Walls/g, 'Лазание по стенам'],
  [/Read Languages/g, 'Чтение языков'],
  [/Breath Weapon/g, 'дыхания'],
  [/Petrification or Polymorph/g, 'окаменения или превращения'],
  [/Paralyzation, Poison, or Death Magic/g, 'паралича, яда или магии смерти'],
  [/Rod, Staff, or Wand/g, 'жезла, посоха или палочки'],
  [/ on d20/g, ' на d20'],
  [/with racial adjustments/g, 'с расовыми поправками'],
  [/wizard/g, 'волшебника'],
  [/priest/g, 'жреца'],
  [/save half/g, 'спасбросок: половина'],
  [/save negates/g, 'спасбросок: отменяет'],
  [/save none/g, 'без спасброска'],
  [/ max /g, ' макс. '],
  [/ needed on d20/g, ' нужно на d20'],
  [/ needed /g, ' нужно '],
  [/damage /g, 'урон '],
  [/ vs large/g, ' против крупных'],
  [/ vs small\/medium/g, ' против малых/средних'],
  [/weapon speed/g, 'скорость оружия'],
  [/Dexterity/g, 'Ловкость'],
  [/Strength/g, 'Сила'],
  [/missile adjustment/g, 'поправка стрельбы'],
  [/hit probability/g, 'поправка попадания'],
  [/medium range/g, 'средняя дистанция'],
  [/long range/g, 'дальняя дистанция'],
  [/short range/g, 'ближняя дистанция'],
  [/d100 at or under succeeds/g, 'успех, если d100 не больше'],
  [/d20 at or under succeeds/g, 'успех, если d20 не больше'],
  [/typical points/g, 'типичные очки'],
  [/base /g, 'база '],
  [/save vs /g, 'спасбросок против '],
  [/ needs /g, ' нужно '],
  [/a success means /g, 'успех означает: '],
  [/half damage from the breath weapon/g, 'половина урона от дыхания'],
  [/initiative: party /g, 'инициатива: партия '],
  [/ vs enemies /g, ' против врагов '],
  [/on d10, lower acts first/g, 'на d10, меньший действует первым'],
  [/group initiative/g, 'групповая инициатива'],
  [/turning /g, 'изгнание: '],
  [/priest level/g, 'уровень жреца'],
  [/column/g, 'столбец'],
  [/Bend Bars\/Lift Gates/g, 'Гнуть прутья/поднимать ворота'],
  [/Open Doors/g, 'Открыть дверь'],
  [/healing /g, 'лечение '],
  [/at caster level/g, 'на уровне заклинателя'],
  [/ per level/g, ' за уровень'],
  [/ spell of level /g, ' заклинание уровня '],
  [/range /g, 'дистанция '],
  [/duration /g, 'длительность '],
  [/area /g, 'область '],
  [/casting time /g, 'время сотворения '],
  [/rolled /g, 'выпало '],
  [/a miss/g, 'промах'],
];

/** The text in the language asked for (English is the source). */
export function localise(text: string, lang: Lang): string {
  if (lang === 'en') return text;
  return PHRASES_RU.reduce((s, [re, ru]) => s.replace(re, ru), text);
}
