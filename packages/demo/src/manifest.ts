// What a demo run produced, for the tests and the read-model engineers: counts by event type and by
// final state, the people worth logging in as, and every personal value that went into the log (the
// personal-data leak test looks for exactly these in the public tables).
import type { DirectoryRole, UnitKind } from '@banshishi/core';
import type { Population } from './organisation.js';

export interface PersonRef {
  readonly personId: string;
  readonly name: string;
  readonly role: DirectoryRole;
  readonly unitId: string;
  readonly unitName: string;
}

export interface DemoManifest {
  readonly seed: number;
  readonly scale: number;
  readonly period: { readonly from: string; readonly to: string };
  /** The day the simulated clock stopped; what is still open then stays open. */
  readonly until: string;
  readonly population: Population;
  readonly commands: number;
  readonly streams: number;
  readonly events: {
    readonly total: number;
    readonly byType: Readonly<Record<string, number>>;
    readonly byCategory: Readonly<Record<string, number>>;
  };
  readonly units: { readonly total: number; readonly byKind: Readonly<Record<UnitKind, number>> };
  readonly campaign: {
    readonly campaignId: string;
    readonly streamId: string;
    readonly districtId: string;
    readonly name: string;
  };
  readonly problems: {
    readonly total: number;
    /** Final status of each problem when the clock stopped. */
    readonly byStatus: Readonly<Record<string, number>>;
    readonly byGrade: Readonly<Record<string, number>>;
    readonly bySource: Readonly<Record<string, number>>;
    /** Problems that went through each of these at least once. */
    readonly assigned: number;
    readonly escalated: number;
    readonly reopened: number;
    readonly supervised: number;
    readonly withProgressNotes: number;
    readonly assessed: number;
    /** Open when the clock stopped and past their promised date or their response window. */
    readonly overdueAtEnd: number;
  };
  readonly wishes: {
    readonly total: number;
    readonly byStatus: Readonly<Record<string, number>>;
    readonly byConsent: Readonly<Record<string, number>>;
    readonly byCategory: Readonly<Record<string, number>>;
    readonly released: number;
    /** The wisher was not satisfied and the wish went back to its claimant. */
    readonly reopened: number;
    readonly showcased: { readonly anonymous: number; readonly named: number };
    readonly cancelled: { readonly withdrawn: number; readonly invalid: number };
  };
  /** 党员干部结新亲: pairings made, visits recorded, far check-ins, households consenting at the end, needs linked. */
  readonly pairings: {
    readonly total: number;
    readonly visits: number;
    readonly farCheckIns: number;
    readonly consenting: number;
    /** Needs the households reported, collected as wishes (not among `wishes`, which the wish planner made). */
    readonly needs: number;
  };
  /** 走访: visits recorded (cancelled ones included), visits cancelled, problems solved on site (现场解决). */
  readonly visits: {
    readonly recorded: number;
    readonly cancelled: number;
    /** Problems raised and solved on a visit: not among `problems`, which the problem planner made. */
    readonly solvedOnSite: number;
  };
  /** 企业服务: enterprises served, contacts (on site among them), officers replaced, needs raised as problems and solved. */
  readonly services: {
    readonly services: number;
    readonly contacts: number;
    readonly onSite: number;
    readonly replaced: number;
    readonly needsRaised: number;
    readonly solved: number;
  };
  readonly keyPeople: {
    /** 领导小组办公室: routes, supervises and showcases. */
    readonly dispatcher: PersonRef;
    /** 领导小组办公室: gives 考核评. */
    readonly assessor: PersonRef;
    readonly auditor: PersonRef;
    /** One secretary per level (district, street, department, community, grid), at the campaign's start. */
    readonly secretaries: readonly PersonRef[];
    readonly departmentHandlers: readonly PersonRef[];
    readonly gridWorkers: readonly PersonRef[];
    /** Members who claimed a wish, first claimants first. */
    readonly members: readonly PersonRef[];
    /** Residents who raised a problem themselves. */
    readonly residents: readonly PersonRef[];
    readonly enterprises: readonly PersonRef[];
  };
  /** Every personal value written into the log, by kind, each once. */
  readonly personal: {
    readonly names: readonly string[];
    readonly phones: readonly string[];
    readonly idNumbers: readonly string[];
    readonly addresses: readonly string[];
    /** Free texts in personal fields: problem descriptions, raisers' and wishers' comments. */
    readonly freeText: readonly string[];
    /** Points on the map: households' registered locations and visits' check-in positions (结新亲). */
    readonly locations: readonly string[];
  };
}
