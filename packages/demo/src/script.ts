// The demo campaign as a script of commands: a generator that yields one command at a time, in business
// time order, and is handed back what the deciders made of it. It never writes an event itself — the
// two drivers (`seedDemo` through command handling, `generateDemoEvents` in memory) decide every command,
// so each generated history is one the rules allow. Each lifecycle has its planner (planners/): it plans
// each item's fate up front (closed, reopened, escalated, rejected, …) and chooses who acts only when the
// act is due, from the directory as it stands then (a secretary replaced mid-campaign no longer acts for
// their unit). This orchestrator runs the planners in order and keeps the manifest's tallies.

import type { UnitKind } from '@banshishi/core';
import type { DemoManifest } from './manifest.js';
import { type DemoOptions, resolveDemoOptions } from './options.js';
import { createCampaignPlanner } from './planners/campaign.js';
import { createDirectoryPlanner } from './planners/directory.js';
import { createPairingPlanner } from './planners/pairings.js';
import { createProblemPlanner } from './planners/problems.js';
import { createServicePlanner } from './planners/services.js';
import { createVisitPlanner } from './planners/visits.js';
import { createWishPlanner } from './planners/wishes.js';
import {
  countBy,
  createPlanningContext,
  type DemoCommand,
  type DemoOutcome,
  increment,
  personRef,
} from './planning.js';

export type DemoScript = Generator<DemoCommand, DemoManifest, DemoOutcome>;

/** The campaign as a script of commands; see the module comment. */
export function* demoScript(options: DemoOptions = {}): DemoScript {
  const o = resolveDemoOptions(options);
  const ctx = createPlanningContext(o);
  const { org, people } = ctx;

  const byType: Record<string, number> = {};
  const byCategory: Record<string, number> = {};
  const streams = new Set<string>();
  let totalEvents = 0;
  function* send(command: DemoCommand): Generator<DemoCommand, DemoOutcome, DemoOutcome> {
    const outcome = yield command;
    if (outcome.events.length > 0) streams.add(command.streamId);
    totalEvents += outcome.events.length;
    increment(byCategory, command.lifecycle, outcome.events.length);
    for (const event of outcome.events) increment(byType, event.type);
    return outcome;
  }

  // Every planner draws from the one seeded `random` as it plans, so the steps below run in this order,
  // always: a step moved is another history (the golden spec says so).

  // 1. The directory, top down, in the weeks before the campaign.
  const directory = createDirectoryPlanner(ctx);
  for (const command of directory.setUp()) yield* send(command);

  // 2. The campaign is launched; its quota bounds the wishes a member may hold.
  const campaign = createCampaignPlanner(ctx);
  const claimLimit = campaign.claimLimitOf(yield* send(campaign.launch()));

  // 3. The campaign's months, as an agenda of tasks: the target adjustment, 换届, then every item.
  campaign.scheduleTargetAdjustment();
  directory.scheduleHandovers();
  const problems = createProblemPlanner(ctx);
  const wishes = createWishPlanner(ctx, claimLimit);
  problems.spawn();
  wishes.spawn();
  // 结新亲 after the others, with a random of its own: their draws stay as they were.
  const pairings = createPairingPlanner(ctx);
  pairings.spawn();
  // After the others, so their draws (and histories) are what they were; its tasks draw nothing later.
  const visits = createVisitPlanner(ctx);
  visits.spawn();
  // 企业服务 comes after the others, with draws of its own (planners/services.ts).
  const services = createServicePlanner(ctx);
  services.spawn();

  for (let task = ctx.agenda.pop(); task !== undefined; task = ctx.agenda.pop()) {
    const issued = task.run(task.at);
    if (issued === null) continue;
    const { command } = issued;
    const outcome = yield* send(command);
    if (command.lifecycle === 'problem') {
      if (!visits.ownsProblem(command.command.data.problemId) && !services.owns(command))
        problems.observe(command, outcome);
    } else if (command.lifecycle === 'wish' && !pairings.raises(command.command.data.wishId))
      wishes.observe(command, outcome);
    issued.afterwards?.(outcome);
  }

  // 4. The manifest.
  const secretaries = (['district', 'street', 'department', 'community', 'grid'] as const).flatMap((kind) => {
    const s = org.secretaries.find((p) => p.unit.kind === kind);
    return s === undefined ? [] : [personRef(s)];
  });
  return {
    seed: o.seed,
    scale: o.scale,
    period: o.period,
    until: o.until,
    population: ctx.population,
    commands: ctx.commands(),
    streams: streams.size,
    events: { total: totalEvents, byType, byCategory },
    units: { total: org.units.length, byKind: countBy(org.units, (u) => u.kind) as Record<UnitKind, number> },
    campaign: campaign.manifest(),
    problems: problems.manifest(),
    wishes: wishes.manifest(),
    pairings: pairings.manifest(),
    visits: visits.manifest(),
    services: services.manifest(),
    keyPeople: {
      dispatcher: personRef(org.dispatcher),
      assessor: personRef(org.assessor),
      auditor: personRef(org.auditor),
      secretaries,
      departmentHandlers: org.handlers.slice(0, 3).map(personRef),
      gridWorkers: org.gridWorkers.slice(0, 3).map(personRef),
      members: wishes.claimingMembers.map(personRef),
      residents: problems.raisingResidents.map(personRef),
      enterprises: problems.raisingEnterprises.map(personRef),
    },
    personal: {
      names: [...people.personal.names],
      phones: [...people.personal.phones],
      idNumbers: [...people.personal.idNumbers],
      addresses: [...people.personal.addresses],
      freeText: [...people.personal.freeText],
      locations: [...people.personal.locations],
    },
  };
}
