// The directory's part of the demo: every unit and person of the planned organisation registered top
// down, with their roles, in the weeks before the campaign; and mid-campaign, 换届 in a few communities —
// a new secretary registered and granted the role, then the old one's role revoked.
import type { Actor, RegisterPerson } from '@banshishi/core';
import { dayMs } from '../clock.js';
import type { OrgPerson, OrgUnit } from '../organisation.js';
import { type DemoCommand, meta, type PlanningContext } from '../planning.js';

export const createDirectoryPlanner = (ctx: PlanningContext) => {
  const { org, people, make, schedule, idOf, office } = ctx;

  const registerUnit = (u: OrgUnit, actor: Actor, at: number) =>
    make('unit', {
      type: 'registerUnit',
      data: { unitId: u.unitId, name: u.name, kind: u.kind, parentId: u.parent?.unitId ?? null },
      metadata: meta(actor, at),
    });
  const registerPerson = (p: OrgPerson, actor: Actor, at: number) => {
    people.record('phones', p.phone);
    if (p.idNumber !== undefined) people.record('idNumbers', p.idNumber);
    return make('person', {
      type: 'registerPerson',
      data: {
        personId: p.personId,
        kind: p.kind,
        name: p.name,
        phone: p.phone,
        ...(p.idNumber === undefined ? {} : { idNumber: p.idNumber }),
      } as RegisterPerson['data'],
      metadata: meta(actor, at),
    });
  };
  const grantRole = (p: OrgPerson, actor: Actor, at: number) =>
    make('person', {
      type: 'grantRole',
      data: { personId: p.personId, role: p.role, unitId: p.unit.unitId },
      metadata: meta(actor, at),
    });

  /** The whole directory, one command at a time and evenly spaced over the 20 days before the campaign. */
  function* setUp(): Generator<DemoCommand, void, undefined> {
    const district = org.district;
    const everyone = [
      ...org.secretaries,
      org.auditor,
      ...org.handlers,
      ...org.gridWorkers,
      ...org.members,
      ...org.residents,
      ...org.enterprises,
    ];
    const directoryCommands = org.units.length + 2 * (everyone.length + 2);
    const setupStart = ctx.campaignStart - 20 * dayMs;
    const step = Math.max(1000, Math.floor((19 * dayMs) / directoryCommands / 1000) * 1000);
    let clock = setupStart;
    const tick = () => {
      clock += step;
      return clock;
    };

    // The district and its office are the only things done as `system`: from then on the office acts.
    yield registerUnit(district, ctx.system, tick());
    for (const p of [org.dispatcher, org.assessor]) {
      yield registerPerson(p, ctx.system, tick());
      yield grantRole(p, ctx.system, tick());
    }
    for (const u of org.units.slice(1)) yield registerUnit(u, office, tick());
    for (const p of everyone) {
      yield registerPerson(p, office, tick());
      yield grantRole(p, office, tick());
    }
  }

  /** 换届: a few communities get a new secretary; the old one keeps the claims already made. */
  const scheduleHandovers = (): void => {
    const { random, campaignStart, untilMs, secretaryOf } = ctx;
    const handovers = random.shuffle(org.communities).slice(0, Math.max(1, Math.round(org.communities.length * 0.02)));
    handovers.forEach((community, i) => {
      const start = campaignStart + Math.floor((untilMs - campaignStart) * 0.4) + i * 3_600_000;
      const successor: OrgPerson = {
        personId: idOf('person', `successor/${i}`),
        kind: 'official',
        name: people.name(false),
        phone: people.phone(),
        role: 'secretary',
        unit: community,
      };
      schedule(start, (at) => ({
        command: registerPerson(successor, office, at),
        afterwards: () =>
          schedule(start + 60_000, (at2) => ({
            command: grantRole(successor, office, at2),
            afterwards: () => {
              const predecessor = secretaryOf.get(community.unitId)!;
              secretaryOf.set(community.unitId, successor);
              schedule(start + 120_000, (at3) => ({
                command: make('person', {
                  type: 'revokeRole',
                  data: {
                    personId: predecessor.personId,
                    role: 'secretary',
                    unitId: community.unitId,
                    reason: '换届',
                  },
                  metadata: meta(office, at3),
                }),
              }));
            },
          })),
      }));
    });
  };

  return { setUp, scheduleHandovers };
};
