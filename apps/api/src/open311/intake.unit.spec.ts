// Open311 intake's rules: who may post (403 before anything else), what each field must be (400 naming
// it), where a request goes (the deepest area holding its point, else a unit named by address_id, else the
// service's unit), and that a resident's words and details land only in personal fields.
import {
  type DecisionContext,
  directoryViewOf,
  personalDataMarkers,
  problemDecider,
  SolicitProblemData,
} from '@banshishi/core';
import { open311ServiceCode } from '@banshishi/read-models';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import {
  decodeOpen311Request,
  fullName,
  type Intake,
  type IntakeContext,
  type IntakeRefusal,
  type ServiceArea,
  uncategorisedTitle,
} from './intake.js';

const directory = directoryViewOf({
  units: [
    { unitId: 'jiaozhou', name: '胶州市', kind: 'district', parentId: null },
    { unitId: 'fuan', name: '阜安街道', kind: 'street', parentId: 'jiaozhou' },
    { unitId: 'qingnian', name: '青年社区', kind: 'community', parentId: 'fuan' },
    { unitId: 'qingnian-1', name: '青年社区第一网格', kind: 'grid', parentId: 'qingnian' },
    { unitId: 'old-village', name: '旧村', kind: 'community', parentId: 'fuan', retired: true },
    { unitId: 'water', name: '市水务局', kind: 'department', parentId: 'jiaozhou' },
  ],
  holdings: [{ personId: 'office-intake', role: 'office', unitId: 'jiaozhou', since: '2021-01-01' }],
});

const box = (minLong: number, minLat: number, maxLong: number, maxLat: number): ServiceArea['bbox'] => [
  minLong,
  minLat,
  maxLong,
  maxLat,
];
// Listed shallowest last and deepest in the middle: the order of the list decides nothing.
const areas: ServiceArea[] = [
  { unitId: 'qingnian-1', bbox: box(119.93, 36.23, 119.94, 36.24) },
  { unitId: 'fuan', bbox: box(119.9, 36.2, 120.0, 36.3) },
  { unitId: 'old-village', bbox: box(119.97, 36.27, 119.99, 36.29) },
  { unitId: 'ghost', bbox: box(119.86, 36.16, 119.88, 36.18) },
  { unitId: 'qingnian', bbox: box(119.92, 36.22, 119.96, 36.26) },
  { unitId: 'jiaozhou', bbox: box(119.85, 36.15, 120.15, 36.45) },
];

const roads = open311ServiceCode('道路交通');
const uncategorised = open311ServiceCode(null);
const hotline = { name: '12345 热线', apiKey: 'hotline-key-0001', personId: 'office-intake' };

let issued = 0;
const ctx: IntakeContext = {
  clients: [{ name: '网格通', apiKey: 'grid-app-key-0002', personId: 'office-intake' }, hotline],
  services: [
    { serviceCode: roads, category: '道路交通' },
    { serviceCode: 'water', category: '供水', unitId: 'water', grade: 'medium' },
    { serviceCode: uncategorised, category: null },
  ],
  areas,
  directory,
  newProblemId: () => `o311-${++issued}`,
};

/** In the grid, and so also in its community, street and district. */
const inGrid = { lat: '36.235', long: '119.935' };
const base = {
  api_key: hotline.apiKey,
  service_code: roads,
  ...inGrid,
  description: '路灯坏了，请打13800000000找李秀英',
};

const { lat: _lat, long: _long, ...unplaced } = base;

const accepted = (form: unknown, context: IntakeContext = ctx): Intake => {
  const result = decodeOpen311Request(form, context);
  if (E.isLeft(result)) throw new Error(JSON.stringify(result.left));
  return result.right;
};
const refused = (form: unknown): IntakeRefusal => {
  const result = decodeOpen311Request(form, ctx);
  if (E.isRight(result)) throw new Error(`accepted: ${JSON.stringify(result.right.data)}`);
  return result.left;
};
const descriptions = (form: unknown) => refused(form).errors.map((e) => e.description);

describe('who may post', () => {
  it.each([
    ['no api_key', { service_code: roads, ...inGrid }],
    ['an unknown api_key', { ...base, api_key: 'hotline-key-0002' }],
    ['a blank api_key', { ...base, api_key: '  ' }],
    ['a prefix of a key', { ...base, api_key: 'hotline-key' }],
    ['api_key given twice', { ...base, api_key: [hotline.apiKey, hotline.apiKey] }],
    ['api_key as an object', { ...base, api_key: { key: hotline.apiKey } }],
  ])('refuses %s with 403 naming api_key', (_, form) => {
    const refusal = refused(form);
    expect(refusal.status).toBe(403);
    expect(refusal.errors).toEqual([{ code: 403, description: expect.stringMatching(/^api_key: /) }]);
  });

  it.each([undefined, null, 'api_key=x', 42, [base]])('refuses a body that is no form (%j) with 403', (form) => {
    expect(refused(form).status).toBe(403);
  });

  it('answers 403 for a missing key even when every other field is wrong too', () => {
    const refusal = refused({ service_code: 'nope', lat: 'north', description: ['a', 'b'], email: 'x' });
    expect(refusal.status).toBe(403);
    expect(refusal.errors).toHaveLength(1);
  });

  it('takes any of the clients’ keys and says which client posted', () => {
    expect(accepted(base).client).toEqual(hotline);
    expect(accepted({ ...base, api_key: 'grid-app-key-0002' }).client.name).toBe('网格通');
  });

  it('refuses every key when a client was configured with an empty one', () => {
    const open = { ...ctx, clients: [{ name: 'misconfigured', apiKey: '', personId: 'office-intake' }] };
    expect(E.isLeft(decodeOpen311Request({ ...base, api_key: '' }, open))).toBe(true);
  });
});

describe('what each field must be', () => {
  const long = (n: number, ch = '路') => ch.repeat(n);
  it.each<[string, Record<string, unknown>, string]>([
    ['service_code missing', { service_code: undefined }, 'service_code: required'],
    ['service_code blank', { service_code: ' ' }, 'service_code: required'],
    ['service_code unknown', { service_code: 'potholes' }, 'service_code: not a service offered here'],
    [
      'no location at all',
      { lat: undefined, long: undefined },
      'location: one of lat and long, address_string or address_id is required',
    ],
    ['lat not a number', { lat: 'north' }, 'lat: expected decimal degrees between -90 and 90 (WGS84)'],
    ['lat in exponent form', { lat: '3.6e1' }, 'lat: expected decimal degrees between -90 and 90 (WGS84)'],
    ['lat out of range', { lat: '90.5' }, 'lat: expected decimal degrees between -90 and 90 (WGS84)'],
    ['long out of range', { long: '-180.01' }, 'long: expected decimal degrees between -180 and 180 (WGS84)'],
    ['long as Infinity', { long: 'Infinity' }, 'long: expected decimal degrees between -180 and 180 (WGS84)'],
    ['lat without long', { long: undefined }, 'long: required with lat'],
    ['long without lat', { lat: '' }, 'lat: required with long'],
    ['description too long', { description: long(4001) }, 'description: longer than 4000 characters'],
    ['first_name too long', { first_name: long(101) }, 'first_name: longer than 100 characters'],
    ['last_name too long', { last_name: long(101) }, 'last_name: longer than 100 characters'],
    ['phone too long', { phone: long(41, '1') }, 'phone: longer than 40 characters'],
    ['email too long', { email: `${long(64, 'a')}@${long(190, 'b')}.cn` }, 'email: longer than 254 characters'],
    ['address_string too long', { address_string: long(501) }, 'address_string: longer than 500 characters'],
    [
      'a control character in a name',
      { first_name: '秀英\u0007' },
      'first_name: contains control characters or broken text',
    ],
    [
      'a NUL in the description',
      { description: '灯\u0000坏' },
      'description: contains control characters or broken text',
    ],
    ['a line break in the phone', { phone: '138\n0000' }, 'phone: contains control characters or broken text'],
    ['a lone surrogate', { last_name: '李\uD800' }, 'last_name: contains control characters or broken text'],
    ['email not an address', { email: 'li at example.cn' }, 'email: not an email address'],
    ['email without a domain dot', { email: 'li@localhost' }, 'email: not an email address'],
    ['media_url not http', { media_url: 'javascript:alert(1)' }, 'media_url: expected an http or https URL'],
    ['media_url not a URL', { media_url: 'photo.jpg' }, 'media_url: expected an http or https URL'],
    ['a repeated field', { description: ['灯坏了', '又坏了'] }, 'description: given more than once'],
    ['a nested value', { first_name: { given: '秀英' } }, 'first_name: expected text'],
    ['a number where text belongs', { phone: 13800000000 }, 'phone: expected text'],
    [
      'a personal-data marker as a name',
      { last_name: personalDataMarkers.sealed },
      'last_name: not a value a person writes',
    ],
  ])('refuses %s with 400 naming the field', (_, change, description) => {
    const form: Record<string, unknown> = { ...base, ...change };
    for (const [k, v] of Object.entries(change)) if (v === undefined) delete form[k];
    const refusal = refused(form);
    expect(refusal.status).toBe(400);
    expect(refusal.errors).toEqual([{ code: 400, description }]);
  });

  it('reports every bad field at once', () => {
    expect(descriptions({ ...base, service_code: 'potholes', lat: '99', email: 'nope', phone: ['1', '2'] })).toEqual([
      'phone: given more than once',
      'service_code: not a service offered here',
      'lat: expected decimal degrees between -90 and 90 (WGS84)',
      'email: not an email address',
    ]);
    // A field refused for its shape counts as sent: no second error says it is missing.
    expect(descriptions({ ...base, service_code: [roads, roads], long: { east: 1 } })).toEqual([
      'service_code: given more than once',
      'long: expected text',
    ]);
  });

  it('never echoes a strange field name back', () => {
    expect(descriptions({ ...base, '<b>\u0000': ['x', 'y'] })).toEqual(['a field: given more than once']);
  });

  it('lets attribute[…] repeat, as the spec allows a multivalue attribute, and keeps none of it', () => {
    const intake = accepted({ ...base, 'attribute[lamp]': ['broken', 'flickering'], 'attribute[size]': 'big' });
    expect(JSON.stringify(intake.data)).not.toContain('flickering');
  });

  it('counts characters, not UTF-16 units: 4000 Han characters or emoji fit the description', () => {
    expect(accepted({ ...base, description: '灯'.repeat(4000) }).data.description).toHaveLength(4000);
    expect(accepted({ ...base, description: '💡'.repeat(4000) }).data.description).toHaveLength(8000);
  });

  it('keeps line breaks and tabs in the description, trims every field and reads a blank one as not sent', () => {
    const { data } = accepted({ ...base, description: '  路灯坏了\n\t三天了  ', phone: '', first_name: '  ' });
    expect(data.description).toBe('路灯坏了\n\t三天了');
    expect(data.raiser).toEqual({ kind: 'resident', location: '36.235000,119.935000' });
  });

  it('takes jurisdiction_id, device_id, account_id and an https media_url, and keeps none of them', () => {
    const { data } = accepted({
      ...base,
      jurisdiction_id: 'jiaozhou.gov.cn',
      device_id: 'device-7',
      account_id: 'acct-99',
      media_url: 'https://photos.example.cn/lamp.jpg',
    });
    const kept = JSON.stringify(data);
    for (const value of ['jiaozhou.gov.cn', 'device-7', 'acct-99', 'lamp.jpg']) expect(kept).not.toContain(value);
  });
});

describe('where a request goes', () => {
  it('goes to the deepest area holding its point: grid over community over street over district', () => {
    const at = (lat: string, long: string) => accepted({ ...base, lat, long });
    expect(at('36.235', '119.935').data.unitId).toBe('qingnian-1');
    expect(at('36.25', '119.95').data.unitId).toBe('qingnian');
    expect(at('36.21', '119.99').data.unitId).toBe('fuan');
    expect(at('36.4', '120.1').data.unitId).toBe('jiaozhou');
    expect(at('36.4', '120.1').unitName).toBe('胶州市');
    // On the grid's edge the box still holds the point.
    expect(at('36.23', '119.93').data.unitId).toBe('qingnian-1');
  });

  it('passes over the areas of retired and unknown units', () => {
    expect(accepted({ ...base, lat: '36.28', long: '119.98' }).data.unitId).toBe('fuan');
    expect(accepted({ ...base, lat: '36.17', long: '119.87' }).data.unitId).toBe('jiaozhou');
  });

  it('goes to the unit an address_id names when the directory knows it', () => {
    const { data, unitName } = accepted({ ...unplaced, address_id: 'qingnian' });
    expect(data.unitId).toBe('qingnian');
    expect(unitName).toBe('青年社区');
  });

  it('prefers the point to the address_id, and passes over an address_id of a retired unit', () => {
    expect(accepted({ ...base, address_id: 'water' }).data.unitId).toBe('qingnian-1');
    const water = { ...unplaced, service_code: 'water' };
    expect(accepted({ ...water, address_id: 'old-village' }).data.unitId).toBe('water');
  });

  it('goes to the service’s own unit when the location places it nowhere', () => {
    const water = { api_key: hotline.apiKey, service_code: 'water' };
    expect(accepted({ ...water, address_string: '青年路 3 号' }).data).toMatchObject({
      unitId: 'water',
      grade: 'medium',
    });
    expect(accepted({ ...water, lat: '31.2', long: '121.5' }).data.unitId).toBe('water');
    expect(accepted({ ...water, address_id: 'no-such-unit' }).unitName).toBe('市水务局');
  });

  it('refuses a request its location places nowhere when the service has no unit of its own', () => {
    for (const location of [
      { lat: '31.2', long: '121.5' },
      { address_string: '青年路 3 号' },
      { address_id: 'nowhere' },
    ]) {
      const refusal = refused({ api_key: hotline.apiKey, service_code: roads, ...location });
      expect(refusal).toEqual({
        status: 400,
        errors: [{ code: 400, description: 'location: outside every area this service covers' }],
      });
    }
  });
});

describe('what is recorded', () => {
  it('records a resident’s 征题 with the service’s public name as title and their details as personal fields', () => {
    const intake = accepted({
      ...base,
      first_name: '秀英',
      last_name: '李',
      phone: '13800000000',
      email: 'li@example.cn',
      address_string: '青年社区3号楼2单元',
    });
    expect(intake.data).toEqual({
      problemId: expect.stringMatching(/^o311-\d+$/),
      unitId: 'qingnian-1',
      source: 'resident',
      grade: 'small',
      title: '道路交通',
      category: '道路交通',
      description: base.description,
      raiser: {
        kind: 'resident',
        name: '李秀英',
        phone: '13800000000',
        email: 'li@example.cn',
        address: '青年社区3号楼2单元',
        location: '36.235000,119.935000',
      },
    });
    expect(intake.unitName).toBe('青年社区第一网格');
  });

  it('never puts the resident’s description in the title, even for an uncategorised service', () => {
    const { data } = accepted({ ...base, service_code: uncategorised });
    expect(data.title).toBe(uncategorisedTitle);
    expect(data.title).not.toContain('路灯');
    expect(data).not.toHaveProperty('category');
    expect(data.description).toBe(base.description);
  });

  it('draws a new problem id for every request', () => {
    expect(accepted(base).data.problemId).not.toBe(accepted(base).data.problemId);
  });

  it('is data the problem decider accepts from the intake account, acting for the office', () => {
    const { data, client } = accepted({ ...base, first_name: '秀英', last_name: '李' });
    const context: DecisionContext = { directory, wishClaims: { openClaimsOf: () => 0, limit: 3 } };
    const decided = problemDecider.decide(
      {
        type: 'solicitProblem',
        data,
        metadata: {
          actor: { personId: client.personId, role: 'office', unitId: 'jiaozhou' },
          now: '2021-04-02T09:00:00+08:00',
        },
      },
      problemDecider.initialState,
      context,
    );
    expect(E.isRight(decided) && decided.right.map((e) => e.type)).toEqual(['ProblemSolicited']);
  });
});

describe('joining a name', () => {
  it.each([
    ['秀英', '李', '李秀英'],
    ['Mary', 'Smith', 'Mary Smith'],
    ['Xiuying', 'Li', 'Xiuying Li'],
    ['小明', '欧阳', '欧阳小明'],
    ['秀英', 'Li', '秀英 Li'],
    ['秀英', undefined, '秀英'],
    [undefined, '李', '李'],
    [undefined, undefined, undefined],
  ])('first_name %j and last_name %j make %j', (first, last, name) => {
    expect(fullName(first, last)).toBe(name);
  });
});

describe('any form at all', () => {
  const knownKeys = [
    'api_key',
    'service_code',
    'lat',
    'long',
    'address_string',
    'address_id',
    'email',
    'first_name',
    'last_name',
    'phone',
    'description',
    'media_url',
    'jurisdiction_id',
    'device_id',
    'account_id',
    'attribute[lamp]',
  ];
  const values = fc.oneof(
    { weight: 6, arbitrary: fc.string({ unit: 'grapheme-composite', maxLength: 30 }) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
    { weight: 2, arbitrary: fc.constantFrom('36.235', '119.935', '-91', '1e3', ' 36.25 ', 'qingnian', 'a@b.cn', '') },
    { weight: 1, arbitrary: fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }) },
    { weight: 1, arbitrary: fc.anything() },
  );
  const changes = fc.dictionary(fc.oneof(fc.constantFrom(...knownKeys), fc.string({ maxLength: 8 })), values, {
    maxKeys: 4,
  });
  const serviceCodes = fc.constantFrom(roads, uncategorised, 'water', 'potholes');
  const forms = fc.oneof(
    // Near a good form, so that many are accepted and every field's check is reached.
    {
      weight: 4,
      arbitrary: fc
        .record({ changes, service: serviceCodes, drop: fc.subarray(knownKeys, { maxLength: 3 }) })
        .map(({ changes, service, drop }) => {
          const form: Record<string, unknown> = { ...base, service_code: service, ...changes };
          for (const key of drop) if (key !== 'api_key') delete form[key];
          return form;
        }),
    },
    { weight: 1, arbitrary: fc.anything() },
  );

  it('property: never throws, and either decodes to data core’s SolicitProblemData codec takes as it is, or is a 400 or 403', () => {
    let acceptedCount = 0;
    fc.assert(
      fc.property(forms, (form) => {
        const result = decodeOpen311Request(form, ctx);
        if (E.isLeft(result)) {
          expect([400, 403]).toContain(result.left.status);
          expect(result.left.errors.length).toBeGreaterThan(0);
          for (const e of result.left.errors) {
            expect(e.code).toBe(result.left.status);
            expect(e.description).toMatch(/^([A-Za-z0-9_.[\]-]{1,64}|a field): /);
          }
          return;
        }
        acceptedCount++;
        const decoded = SolicitProblemData.decode(result.right.data);
        expect(E.isRight(decoded) && decoded.right).toEqual(result.right.data);
        expect(directory.unit(result.right.data.unitId)?.name).toBe(result.right.unitName);
        expect(['道路交通', '供水', uncategorisedTitle]).toContain(result.right.data.title);
      }),
      { numRuns: 1500 },
    );
    expect(acceptedCount).toBeGreaterThan(150);
  });
});
