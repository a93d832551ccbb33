// The reference subject-key store against the suite: if this fails, the suite or the port is wrong.
import { getInMemorySubjectKeyStore } from '@banshishi/core';
import { describeSubjectKeyStoreConformance } from './key-store-conformance.js';

describeSubjectKeyStoreConformance('in-memory', async () => {
  const store = getInMemorySubjectKeyStore();
  return {
    store,
    teardown: async () => {},
    rawRows: async () => store.rows(),
  };
});
