import { createMemoryStore } from '../../src/store/index.ts';
import { storeContract } from './contract.ts';

storeContract('memory', async () => ({ store: createMemoryStore(), cleanup: async () => {} }));
