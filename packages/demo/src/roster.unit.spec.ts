import { uuidFromName } from '@banshishi/core';
import { describe, expect, it } from 'vitest';
import { generateDemoEvents } from './generate.js';
import { demoRoster } from './roster.js';

const generatedGrants = (seed: number, scale: number) => {
  const source = generateDemoEvents({ seed, scale });
  const grants = new Set<string>();
  const names = new Map<string, string>();
  for (const batch of source)
    for (const { events } of batch)
      for (const event of events) {
        const data = event.data as { personId: string; role?: string; unitId?: string; name?: string };
        if (event.type === 'RoleGranted') grants.add(`${data.personId} ${data.role} ${data.unitId}`);
        if (event.type === 'PersonRegistered' && typeof data.name === 'string') names.set(data.personId, data.name);
      }
  return { grants, names, manifest: source.manifest() };
};

const successorIds = (seed: number, count: number) =>
  Array.from({ length: count }, (_, i) => uuidFromName(`banshishi-demo/${seed}/person/successor/${i}`));

describe('the demo roster', () => {
  it.each([
    [2021, 600],
    [7, 3000],
  ])('for seed %i and scale %i lists the people and roles the generated history grants', (seed, scale) => {
    const roster = demoRoster({ seed, scale });
    const { grants, names, manifest } = generatedGrants(seed, scale);
    for (const entry of roster) expect(grants).toContain(`${entry.personId} ${entry.role} ${entry.unitId}`);
    expect(roster[0]).toMatchObject({ personId: manifest.keyPeople.dispatcher.personId, role: 'office' });
    expect(roster[1]).toMatchObject({ personId: manifest.keyPeople.assessor.personId, role: 'office' });
    // Everyone granted a role is listed but the secretaries who take over at 换届, mid-campaign.
    const listed = new Set(roster.map((e) => `${e.personId} ${e.role} ${e.unitId}`));
    const unlisted = [...grants].filter((g) => !listed.has(g));
    expect(unlisted.length).toBeGreaterThan(0);
    for (const grant of unlisted) expect(successorIds(seed, unlisted.length)).toContain(grant.split(' ')[0]);
    for (const entry of roster)
      if (entry.officialName !== undefined) expect(entry.officialName).toBe(names.get(entry.personId));
  });

  it('names officials only: no resident name from the generated history appears', () => {
    const roster = demoRoster({ seed: 3, scale: 1000 });
    const { manifest } = generatedGrants(3, 1000);
    const personalNames = new Set(manifest.personal.names);
    expect(roster.filter((e) => e.kind !== 'official').every((e) => e.officialName === undefined)).toBe(true);
    expect(roster.some((e) => e.officialName !== undefined && personalNames.has(e.officialName))).toBe(false);
    expect(roster.some((e) => e.kind === 'resident')).toBe(true);
  });
});
