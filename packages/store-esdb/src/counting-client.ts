// For the specs: a client that counts the calls the adapter makes, so the shared conformance suite can show
// that an append refused for bad input never reached the server.
import type { EventStoreDBClientLike } from './event-store.js';

export const countingClient = (client: EventStoreDBClientLike) => {
  let calls = 0;
  const counted =
    <A extends unknown[], R>(call: (...args: A) => R) =>
    (...args: A): R => {
      calls += 1;
      return call(...args);
    };
  const wrapped = {
    appendToStream: counted(client.appendToStream.bind(client)),
    readStream: counted(client.readStream.bind(client)),
    readAll: counted(client.readAll.bind(client)),
    subscribeToAll: counted(client.subscribeToAll.bind(client)),
    dispose: counted(client.dispose.bind(client)),
  } as unknown as EventStoreDBClientLike;
  return { client: wrapped, calls: () => calls };
};
