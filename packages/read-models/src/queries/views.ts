// What every board query starts from: the live views of the read-model schema, typed by `Database`, the
// one way an item is placed under a unit (the unit itself or any unit above it), and the typed values
// and date arithmetic the queries share.
import { type Expression, type ExpressionWrapper, expressionBuilder, type SqlBool, sql } from 'kysely';
import type { UnitsTable } from '../projections/directory.js';
import type { ReadModels } from '../runtime/builds.js';
import type { Database } from '../schema.js';

/** The read-model schema's views and control tables, for queries checked against `Database`. */
export const views = (rm: ReadModels) => rm.db.withSchema(rm.schema);

const u = expressionBuilder<{ u: UnitsTable }, 'u'>();

/** Over the unit alias `u`: the unit is `unitId` or lies below it, at any level. */
export const withinUnit = (unitId: string): ExpressionWrapper<{ u: UnitsTable }, 'u', SqlBool> =>
  u(u.val(unitId), 'in', [u.ref('u.level1_id'), u.ref('u.level2_id'), u.ref('u.level3_id'), u.ref('u.level4_id')]);

const values = expressionBuilder<Database, never>();

/** A `YYYY-MM-DD` text as an SQL date (bound). */
export const dateValue = (date: string): ExpressionWrapper<Database, never, string> =>
  values.cast<string>(values.val(date), 'date');

/** An ISO-8601 moment with its offset as an SQL timestamptz (bound). */
export const momentValue = (at: string): ExpressionWrapper<Database, never, string> =>
  values.cast<string>(values.val(at), 'timestamptz');

// Raw: date + integer is a date in PostgreSQL, but kysely types `+` as taking two operands of one type.
export const plusDays = (date: Expression<string | null>, days: Expression<number>) => sql<string>`${date} + ${days}`;
