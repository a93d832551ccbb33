// Made-up people: names, mobile numbers, resident ID numbers (居民身份证号, with a valid check digit, in
// Jiaozhou's area code 370281) and addresses. Every value is unique within a run, and residents' given
// names avoid every character of the demo's public texts, so a personal value found in a public table
// can only have been copied there: that is what the read models' personal-data leak test relies on.
import type { Random } from './random.js';
import { publicCharacters } from './vocabulary.js';

const surnames: readonly (readonly [string, number])[] = [
  ['王', 10],
  ['李', 9],
  ['张', 9],
  ['刘', 8],
  ['陈', 6],
  ['杨', 5],
  ['赵', 5],
  ['黄', 3],
  ['周', 4],
  ['吴', 3],
  ['徐', 4],
  ['孙', 4],
  ['胡', 2],
  ['朱', 3],
  ['高', 4],
  ['林', 2],
  ['何', 2],
  ['郭', 3],
  ['马', 3],
  ['罗', 1],
  ['梁', 2],
  ['宋', 2],
  ['郑', 2],
  ['谢', 1],
  ['韩', 2],
  ['唐', 1],
  ['冯', 2],
  ['于', 3],
  ['董', 2],
  ['程', 1],
  ['曹', 1],
  ['袁', 1],
  ['许', 2],
  ['傅', 1],
  ['沈', 1],
  ['彭', 1],
  ['吕', 1],
  ['苏', 1],
  ['卢', 1],
  ['蒋', 1],
  ['蔡', 1],
  ['贾', 1],
  ['丁', 1],
  ['魏', 1],
  ['薛', 1],
  ['姜', 2],
  ['崔', 1],
  ['纪', 1],
  ['逄', 1],
  ['匡', 1],
  ['宫', 1],
  ['管', 1],
  ['臧', 1],
  ['栾', 1],
  ['綦', 1],
  ['隋', 1],
  ['毛', 1],
  ['邱', 1],
  ['秦', 1],
  ['尹', 1],
];

const givenCandidates = Array.from(
  '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英玉兰萍红鹏辉建文斌宇浩凯健俊帆帅旭宁龙欣佳倩婷雪琳晨颖蕾璐悦瑶怡梓萱涵轩睿博泽嘉思梦欢丹慧莉琴莲凤梅兵志亮峰飞鑫成庆福春秋冬立振永顺喜荣贵宝彬琪玲燕菲妍薇岩坤昊哲晓晶蓉婉沁韵钰琦璇珂琛烨炜焱淼鑫锦瑜骏骁翔翠蓓蔚莹茜荷芝菊葵',
);

export const personalKinds = ['names', 'phones', 'idNumbers', 'addresses', 'freeText', 'locations'] as const;
export type PersonalValueKind = (typeof personalKinds)[number];

/** Every personal value the generator put into a command, by kind; what the leak test looks for. */
export type PersonalValues = Readonly<Record<PersonalValueKind, ReadonlySet<string>>>;

export interface PeopleFactory {
  /** A unique three-character name; `personal` names are recorded as personal values. */
  name(personal: boolean): string;
  /** A unique mobile number, not yet recorded anywhere. */
  phone(): string;
  /** A unique resident ID number, not yet recorded anywhere. */
  idNumber(): string;
  /** A unique home address in `place` (a street or town and a community or village). */
  address(street: string, community: string, urban: boolean): string;
  /** Records that a value has gone into a personal field of a command. */
  record(kind: PersonalValueKind, value: string): string;
  readonly personal: PersonalValues;
}

const idWeights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const idCheckDigits = '10X98765432';

/** The ISO 7064 MOD 11-2 check character of the first 17 digits (GB 11643). */
export const idCheckDigit = (first17: string): string => {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * idWeights[i]!;
  return idCheckDigits[sum % 11]!;
};

const mobilePrefixes = [
  '130',
  '131',
  '132',
  '133',
  '135',
  '136',
  '137',
  '138',
  '139',
  '150',
  '151',
  '152',
  '153',
  '155',
  '156',
  '157',
  '158',
  '159',
  '176',
  '177',
  '178',
  '180',
  '181',
  '182',
  '183',
  '185',
  '186',
  '187',
  '188',
  '189',
];

export const createPeopleFactory = (random: Random): PeopleFactory => {
  const taken = new Set<string>();
  const forbidden = publicCharacters();
  const given = givenCandidates.filter((c) => !forbidden.has(c) && !surnames.some(([s]) => s === c));
  const personal: Record<PersonalValueKind, Set<string>> = {
    names: new Set(),
    phones: new Set(),
    idNumbers: new Set(),
    addresses: new Set(),
    freeText: new Set(),
    locations: new Set(),
  };
  const unique = (make: () => string): string => {
    for (;;) {
      const value = make();
      if (!taken.has(value)) {
        taken.add(value);
        return value;
      }
    }
  };
  const record = (kind: PersonalValueKind, value: string): string => {
    personal[kind].add(value);
    return value;
  };

  return {
    name: (isPersonal) => {
      const name = unique(() => random.weighted(surnames) + random.pick(given) + random.pick(given));
      return isPersonal ? record('names', name) : name;
    },
    phone: () => unique(() => random.pick(mobilePrefixes) + String(random.int(0, 99_999_999)).padStart(8, '0')),
    idNumber: () =>
      unique(() => {
        const year = random.int(1940, 2005);
        const birth = new Date(Date.UTC(year, 0, 1) + random.int(0, 364) * 86_400_000).toISOString().slice(0, 10);
        const first17 = `370281${birth.replaceAll('-', '')}${String(random.int(0, 999)).padStart(3, '0')}`;
        return first17 + idCheckDigit(first17);
      }),
    address: (street, community, urban) =>
      unique(() =>
        urban
          ? `山东省青岛市胶州市${street}${community}${random.int(1, 40)}号楼${random.int(1, 6)}单元${random.int(1, 18)}0${random.int(1, 4)}室`
          : `山东省青岛市胶州市${street}${community}${random.int(1, 600)}号`,
      ),
    record,
    personal,
  };
};
