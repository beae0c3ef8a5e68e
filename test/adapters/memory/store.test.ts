import t from 'tap'
import { createMemoryStore } from '../../../src/adapters/memory/store.js'
import { storeContract } from '../../helpers/store-contract.js'

storeContract(t, async () => createMemoryStore())
