// The demo's organisation, planned before anything is issued: a district (胶州市) with its streets and
// towns, departments, communities and villages, grids; the office, secretaries, department handlers,
// grid workers, members, residents and enterprises. The script then registers all of it through the
// directory's deciders, top down, before the campaign starts.
import type { DirectoryRole, PersonKind, UnitKind } from '@banshishi/core';
import type { PeopleFactory } from './people.js';
import type { Random } from './random.js';
import {
  communityRoads,
  departments,
  districtName,
  enterpriseForms,
  enterpriseIndustries,
  enterpriseWords,
  numerals,
  streetNames,
  villageBases,
  villagePrefixes,
  villageSuffixes,
  villageSurnames,
} from './vocabulary.js';

export interface OrgUnit {
  readonly unitId: string;
  name: string;
  readonly kind: UnitKind;
  readonly parent: OrgUnit | null;
  readonly children: OrgUnit[];
  /** Streets (街道) and their communities are urban; towns (镇) and villages (村) are not. */
  readonly urban: boolean;
  /** Topics a department answers for (转办 routes by topic). */
  readonly topics: readonly string[];
  readonly residents: OrgPerson[];
  readonly enterprises: OrgPerson[];
  readonly handlers: OrgPerson[];
  readonly gridWorkers: OrgPerson[];
}

export interface OrgPerson {
  readonly personId: string;
  readonly kind: PersonKind;
  readonly name: string;
  readonly phone: string;
  readonly idNumber?: string;
  readonly role: DirectoryRole;
  readonly unit: OrgUnit;
  /** Where a resident lives: personal data, written into a command only when it is needed. */
  readonly address?: string;
}

export interface Population {
  readonly streets: number;
  readonly departments: number;
  readonly communities: number;
  readonly members: number;
  readonly residents: number;
  readonly enterprises: number;
  readonly problems: number;
  readonly wishes: number;
}

/** 1 → 一, 12 → 十二, 23 → 二十三, 100 and above in digits. */
export const chineseNumber = (n: number): string => {
  if (n < 1 || n >= 100) return String(n);
  const tens = Math.floor(n / 10);
  const units = n % 10;
  const unitText = units === 0 ? '' : numerals[units - 1]!;
  if (tens === 0) return unitText;
  return `${tens === 1 ? '' : numerals[tens - 1]!}十${unitText}`;
};

const clamp = (n: number, min: number, max: number): number => Math.min(max, Math.max(min, n));

/**
 * How many of each the scale asks for. The shares were measured on generated runs: a wish averages about
 * 5.5 events, a problem about 6.5, a unit 1 and a person 2; directory ≈ 25%, problems ≈ 25%, wishes ≈ 50%.
 */
export const planPopulation = (scale: number): Population => {
  // The fieldwork planners (企业服务, 结新亲, 走访) add some 300 events whatever the scale: the problems and wishes
  // make the rest, so the whole history stays near the scale asked for.
  const s = Math.max(300, scale - Math.min(300, Math.round(scale * 0.15)));
  const wishes = Math.max(12, Math.round(s * 0.105));
  const problems = Math.max(14, Math.round(s * 0.044));
  const communities = clamp(Math.round(s / 1250), 4, 900);
  return {
    streets: clamp(Math.ceil(communities / 70), 2, streetNames.length),
    departments: clamp(Math.ceil(communities / 50), 2, departments.length),
    communities,
    members: Math.max(8, Math.round(wishes * 0.72)),
    residents: Math.max(10, Math.round(wishes * 0.45 + problems * 0.3)),
    enterprises: clamp(Math.round(problems * 0.1), 3, 3000),
    problems,
    wishes,
  };
};

export interface Organisation {
  readonly district: OrgUnit;
  readonly units: readonly OrgUnit[];
  readonly streets: readonly OrgUnit[];
  readonly departments: readonly OrgUnit[];
  readonly communities: readonly OrgUnit[];
  readonly grids: readonly OrgUnit[];
  /** 领导小组办公室: one dispatcher who routes and supervises, one assessor who rates (考核评). */
  readonly dispatcher: OrgPerson;
  readonly assessor: OrgPerson;
  readonly auditor: OrgPerson;
  /** The secretary of each unit at the start of the campaign. */
  readonly secretaries: readonly OrgPerson[];
  readonly handlers: readonly OrgPerson[];
  readonly gridWorkers: readonly OrgPerson[];
  readonly members: readonly OrgPerson[];
  readonly residents: readonly OrgPerson[];
  readonly enterprises: readonly OrgPerson[];
}

export const planOrganisation = (
  population: Population,
  random: Random,
  people: PeopleFactory,
  idOf: (kind: string, key: string | number) => string,
): Organisation => {
  const units: OrgUnit[] = [];
  const unit = (
    kind: UnitKind,
    name: string,
    parent: OrgUnit | null,
    urban: boolean,
    topics: readonly string[] = [],
  ) => {
    const created: OrgUnit = {
      unitId: idOf('unit', units.length),
      name,
      kind,
      parent,
      children: [],
      urban,
      topics,
      residents: [],
      enterprises: [],
      handlers: [],
      gridWorkers: [],
    };
    parent?.children.push(created);
    units.push(created);
    return created;
  };

  const district = unit('district', districtName, null, true);
  const streets = streetNames
    .slice(0, population.streets)
    .map((name) => unit('street', name, district, name.endsWith('街道')));
  const depts = departments
    .slice(0, population.departments)
    .map((d) => unit('department', d.name, district, true, d.topics));

  const usedNames = new Set<string>();
  const uniqueName = (make: () => string): string => {
    for (let attempt = 0; ; attempt++) {
      const base = make();
      // Past a few collisions the vocabulary is running out: number the name (王家庄二村), as villages do;
      // the numbers grow with the attempts, so a name is always found.
      const name = attempt < 8 ? base : base.replace(/(社区|村)$/, `${chineseNumber(2 + Math.floor(attempt / 4))}$1`);
      if (!usedNames.has(name)) {
        usedNames.add(name);
        return name;
      }
    }
  };
  const villageName = () =>
    random.chance(0.6)
      ? `${random.pick(villageSurnames)}${random.pick(villageSuffixes)}村`
      : `${random.pick(villagePrefixes)}${random.pick(villageBases)}村`;
  const communityName = () => `${random.pick(communityRoads)}社区`;

  const communities: OrgUnit[] = [];
  const grids: OrgUnit[] = [];
  for (let i = 0; i < population.communities; i++) {
    // Streets first take one each, so every street has at least one community; the rest fall at random.
    const street = i < streets.length ? streets[i]! : random.pick(streets);
    const urban = street.urban && random.chance(0.6);
    const community = unit('community', uniqueName(urban ? communityName : villageName), street, urban);
    communities.push(community);
    const gridCount = random.weighted([
      [1, 1],
      [2, 2],
      [3, 1],
    ]);
    for (let g = 0; g < gridCount; g++)
      grids.push(unit('grid', `${community.name}第${chineseNumber(g + 1)}网格`, community, urban));
  }

  let personCount = 0;
  const person = (
    kind: PersonKind,
    role: DirectoryRole,
    home: OrgUnit,
    extra: { name?: string; idNumber?: boolean; address?: boolean } = {},
  ): OrgPerson => {
    const communityOf = home.kind === 'grid' ? (home.parent as OrgUnit) : home;
    const streetOf = communityOf.kind === 'community' ? (communityOf.parent as OrgUnit) : home;
    return {
      personId: idOf('person', personCount++),
      kind,
      name: extra.name ?? people.name(kind === 'resident'),
      phone: people.phone(),
      ...(extra.idNumber === true ? { idNumber: people.idNumber() } : {}),
      role,
      unit: home,
      ...(extra.address === true ? { address: people.address(streetOf.name, communityOf.name, home.urban) } : {}),
    };
  };

  const dispatcher = person('official', 'office', district);
  const assessor = person('official', 'office', district);
  const auditor = person('official', 'auditor', district);
  const secretaries = units.map((u) => person('official', 'secretary', u));
  const handlers = depts.flatMap((d) => {
    const list = [person('official', 'department_handler', d), person('official', 'department_handler', d)];
    d.handlers.push(...list);
    return list;
  });
  const gridWorkers = grids.map((g) => {
    const worker = person('official', 'grid_worker', g);
    g.gridWorkers.push(worker);
    return worker;
  });
  // Cadres who are party members act as officials; most members are ordinary residents, whose names
  // are personal data like any resident's.
  const members = Array.from({ length: population.members }, () =>
    random.chance(0.3)
      ? person('official', 'member', district)
      : person('resident', 'member', district, { idNumber: true }),
  );
  const residents = Array.from({ length: population.residents }, () => {
    const home = random.chance(0.85) ? random.pick(grids) : random.pick(communities);
    const resident = person('resident', 'resident', home, { idNumber: true, address: true });
    home.residents.push(resident);
    return resident;
  });
  const enterpriseNames = new Set<string>();
  const enterprises = Array.from({ length: population.enterprises }, () => {
    const home = random.chance(0.3) ? random.pick(streets) : random.pick(communities);
    let name: string;
    do {
      const [a, b] = random.shuffle(enterpriseWords).slice(0, 2);
      const words = random.chance(0.5) ? a! : `${a}${b}`;
      name = `${random.pick(['青岛', '胶州'])}${words}${random.pick(enterpriseIndustries)}${random.pick(enterpriseForms)}`;
    } while (enterpriseNames.has(name));
    enterpriseNames.add(name);
    const enterprise = person('enterprise', 'enterprise', home, { name });
    home.enterprises.push(enterprise);
    return enterprise;
  });

  return {
    district,
    units,
    streets,
    departments: depts,
    communities,
    grids,
    dispatcher,
    assessor,
    auditor,
    secretaries,
    handlers,
    gridWorkers,
    members,
    residents,
    enterprises,
  };
};
