// Personal fields a log holds in the clear (events written at a version before their type was sealed, or a
// log loaded in the clear) are withheld by every audit command: only the recorded reveal path shows personal
// data, and it opens only sealed values, after recording the read. A sealed value is left as it is.
import {
  clearVersionOf,
  coreEventDefinitions,
  type EventDefinition,
  isSealedValue,
  mapPersonal,
  personalDataMarkers,
  type StoredEvent,
} from '@banshishi/core';

const definitions = new Map<string, EventDefinition>(coreEventDefinitions.map((d) => [d.type, d]));

/** The payload with each personal field stored in the clear replaced by the sealed marker. */
export const withholdClearFields = (event: Pick<StoredEvent, 'type' | 'schemaVersion'>, data: unknown): unknown => {
  const def = definitions.get(event.type);
  if (def?.sealedSince === undefined || event.schemaVersion > clearVersionOf(def)) return data;
  return mapPersonal(def.codec, data, (v) => (isSealedValue(v) ? v : personalDataMarkers.sealed));
};

/** The event with its clear personal fields withheld. */
export const withClearFieldsWithheld = <T extends Pick<StoredEvent, 'type' | 'schemaVersion' | 'data'>>(
  event: T,
): T => {
  const data = withholdClearFields(event, event.data);
  return data === event.data ? event : { ...event, data };
};
