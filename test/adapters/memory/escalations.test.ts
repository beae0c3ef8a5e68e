import t from 'tap'
import { createMemoryEscalationStore } from '../../../src/adapters/memory/escalations.js'
import { escalationStoreContract } from '../../helpers/escalation-store-contract.js'

escalationStoreContract(t, async () => createMemoryEscalationStore())
